import { readFile } from 'node:fs/promises';
import { DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.ts';
import { createMetrics, MAX_RATE_LIMIT_SERIES } from '../../src/metrics/index.ts';
import { TestMetricReader } from '../helpers/otel.ts';
import { collectorPrometheusName, INSTRUMENTS, jsExporterPrometheusName } from '../helpers/prometheus-names.ts';
import { limits, record } from '../unit/metrics/fixtures.ts';

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

/** What a real MeterProvider exports after one response with every header and one ended call. */
async function exportedInstruments(): Promise<Array<{ name: string; kind: string; unit: string }>> {
  const reader = new TestMetricReader();
  const provider = new MeterProvider({ readers: [reader] });
  const config = resolveConfig({});
  const metrics = createMetrics(provider.getMeter('readme'), () => config);
  const call = record({}, { ...limits([500, 499, 0.1], [10_000, 9_000, 1]), processingMs: 412, bodyKind: 'sse' });
  // A streamed answer whose body told its usage: the token and first-chunk histograms get a sample.
  call.timeToFirstChunk = 0.2;
  call.body = { responseModel: 'gpt-4o-2024-08-06', inputTokens: 12, outputTokens: 30 };
  metrics.onResponse(call);
  metrics.onEnd(call, 0.5, undefined);
  const { scopeMetrics } = await reader.read();
  await provider.shutdown();
  return scopeMetrics.flatMap((scope) =>
    scope.metrics.map((m) => ({ name: m.descriptor.name, kind: m.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : 'gauge', unit: m.descriptor.unit })),
  );
}

describe('README metrics table', () => {
  it('lists every instrument the code creates, with its name, kind and unit', async () => {
    const documented = tableRows().map(([name, kind, unit]) => ({ name, kind, unit }));
    expect(documented).toEqual(INSTRUMENTS.map(({ name, kind, unit }) => ({ name, kind, unit })));
    const exported = await exportedInstruments();
    expect([...exported].sort((a, b) => a.name.localeCompare(b.name))).toEqual([...documented].sort((a, b) => a.name!.localeCompare(b.name!)));
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
