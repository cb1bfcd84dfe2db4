import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LATEST_GEN_AI_INSTRUMENT_SPECS } from '../../src/metrics/instruments.ts';
import { SEMCONV_OPT_IN_GEN_AI_LATEST } from '../../src/semconv.ts';
import { collectorPrometheusName } from '../helpers/prometheus-names.ts';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('\n## Latest GenAI conventions');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

/** The mapping table's rows: [default name, latest name, kind, unit, Prometheus name]. */
const rows = section
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| default') && !line.startsWith('|---'))
  .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));

const unquote = (cell: string): string => cell.replace(/^`|`$/g, '');

describe('README: the latest GenAI conventions', () => {
  it('names the switch the code reads', () => {
    expect(section).toContain(`OTEL_SEMCONV_STABILITY_OPT_IN=${SEMCONV_OPT_IN_GEN_AI_LATEST}`);
  });

  it('maps every latest instrument from the one it replaces, with its kind, unit and Prometheus name', () => {
    const specs = Object.values(LATEST_GEN_AI_INSTRUMENT_SPECS);
    expect(rows.map((row) => unquote(row[1]!))).toEqual(specs.map((spec) => spec.name));
    for (const spec of specs) {
      const [previous, , kind, unit, prometheus] = rows.find((row) => unquote(row[1]!) === spec.name)!;
      expect(previous, spec.name).toMatch(spec.replaces === undefined ? /^none$/ : new RegExp(`^\`${spec.replaces.replace(/\./g, '\\.')}\``));
      expect(kind, spec.name).toBe(spec.kind);
      expect(unquote(unit!), spec.name).toBe(spec.unit);
      const suffix = spec.kind === 'histogram' ? '_{bucket,count,sum}' : '_total';
      expect(unquote(prometheus!), spec.name).toBe(`${collectorPrometheusName(spec.name, spec.unit)}${suffix}`);
    }
  });
});
