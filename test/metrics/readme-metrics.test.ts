import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MAX_RATE_LIMIT_SERIES } from '../../src/metrics/index.ts';
import { collectorPrometheusName, INSTRUMENTS, jsExporterPrometheusName } from '../helpers/prometheus-names.ts';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const metricsStart = readme.indexOf('\n## Metrics\n');
const metricsSection = readme.slice(metricsStart, readme.indexOf('\n## ', metricsStart + 1));

/** Rows of the README's metrics table: cells with the backticks and whitespace trimmed. */
function tableRows(): string[][] {
  return metricsSection
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
}

describe('README metrics table', () => {
  it('lists every instrument with the name, kind and unit of semconv.ts', () => {
    expect(tableRows().map(([name, kind, unit]) => ({ name, kind, unit }))).toEqual(INSTRUMENTS.map(({ name, kind, unit }) => ({ name, kind, unit })));
  });

  it("gives the Collector's and the JS exporter's Prometheus names", () => {
    for (const [name, , unit, collector, js] of tableRows()) {
      const instrument = INSTRUMENTS.find((i) => i.name === name)!;
      const suffix = instrument.kind === 'histogram' ? '_{bucket,count,sum}' : '';
      expect(collector, name).toBe(`${collectorPrometheusName(name!, unit!)}${suffix}`);
      const jsName = `${jsExporterPrometheusName(name!)}${suffix}`;
      expect(js === 'same' ? collector : js, name).toBe(jsName);
    }
  });

  it('states the series cap the code enforces', () => {
    expect(metricsSection).toContain(`At most **${MAX_RATE_LIMIT_SERIES} quotas**`);
  });
});
