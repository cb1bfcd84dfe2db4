import { readFileSync } from 'node:fs';
import { DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.ts';
import type { RequestRecord } from '../../src/internal-types.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import { LATEST_GEN_AI_INSTRUMENT_SPECS } from '../../src/metrics/instruments.ts';
import * as semconv from '../../src/semconv.ts';
import { TestMetricReader } from '../helpers/otel.ts';
import { record } from './metrics/fixtures.ts';

/**
 * Our latest-conventions instruments against the conventions' own text, vendored with its
 * source and commit in test/fixtures/semconv-genai/metrics-excerpt.md.
 */
interface ConventionMetric {
  readonly kind: string;
  readonly unit: string;
  readonly buckets: number[] | undefined;
  /** Attribute key -> requirement level (`Required`, `Conditionally Required`, `Recommended`). */
  readonly attributes: Map<string, string>;
}

function parseConventions(text: string): Map<string, ConventionMetric> {
  const metrics = new Map<string, ConventionMetric>();
  for (const section of text.split('\n### Metric: `').slice(1)) {
    const name = section.slice(0, section.indexOf('`'));
    const row = section.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    if (row === undefined) throw new Error(`no metric table row for ${name}`);
    const [, , kind, unit] = row.split('|').map((cell) => cell.trim());
    const buckets = /\[ExplicitBucketBoundaries\] of \[([^\]]+)\]/.exec(section)?.[1]!.split(',').map(Number);
    const attributes = new Map<string, string>();
    for (const line of section.split('\n')) {
      const match = /^\| \[`([a-z_.]+)`\]\([^)]*\) \| [^|]* \| `([A-Za-z ]+)`/.exec(line);
      if (match) attributes.set(match[1]!, match[2]!);
    }
    metrics.set(name, { kind: kind!.toLowerCase(), unit: unit!.replace(/`/g, ''), buckets, attributes });
  }
  return metrics;
}

const conventions = parseConventions(readFileSync(new URL('../fixtures/semconv-genai/metrics-excerpt.md', import.meta.url), 'utf8'));
const latestSpecs = Object.values(LATEST_GEN_AI_INSTRUMENT_SPECS);

/** What a real MeterProvider exports, in the latest mode, after a streamed chat, a 429 and an embeddings call. */
async function exported(): Promise<Array<{ name: string; kind: string; attributes: Array<Record<string, unknown>> }>> {
  const reader = new TestMetricReader();
  const provider = new MeterProvider({ readers: [reader] });
  const config = resolveConfig({}, { [semconv.ENV_SEMCONV_STABILITY_OPT_IN]: semconv.SEMCONV_OPT_IN_GEN_AI_LATEST });
  const metrics = createMetrics(provider.getMeter('conventions'), () => config);
  const stream = record({}, { bodyKind: 'sse' });
  stream.firstChunkTime = 0.2;
  stream.body = { responseModel: 'gpt-4o-2024-08-06', inputTokens: 12, outputTokens: 30, cachedInputTokens: 4, reasoningOutputTokens: 0 };
  metrics.onChunks!(stream, 1, undefined);
  metrics.onChunks!(stream, 2, 0.05);
  metrics.onEnd(stream, 0.5, undefined);
  const failed = record({ statusCode: 429 });
  failed.body = { errorCode: 'rate_limit_exceeded' };
  metrics.onEnd(failed, 0.1, '429');
  const embeddings: RequestRecord = { ...record({ operation: 'embeddings' }), target: { ...record().target, operation: 'embeddings', apiType: 'embeddings' } };
  embeddings.body = { responseModel: 'text-embedding-3-small', inputTokens: 8 };
  metrics.onEnd(embeddings, 0.2, undefined);
  const { scopeMetrics } = await reader.read();
  await provider.shutdown();
  return scopeMetrics.flatMap((scope) =>
    scope.metrics.map((m) => ({
      name: m.descriptor.name,
      kind: m.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : m.dataPointType === DataPointType.SUM ? 'counter' : 'gauge',
      attributes: m.dataPoints.map((p) => p.attributes),
    })),
  );
}

describe('the latest GenAI conventions, from their own text', () => {
  it('defines every name the SPEC lists, and semconv.ts spells them the same', () => {
    for (const name of [
      semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION,
      semconv.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
      semconv.METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK,
      semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
      semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
      semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS,
      semconv.METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS,
    ]) {
      expect(conventions.has(name), name).toBe(true);
    }
  });

  it('gives each of our instruments its kind, unit and bucket boundaries', () => {
    expect(latestSpecs.map((s) => s.name).sort()).toEqual([...conventions.keys()].sort());
    for (const spec of latestSpecs) {
      const defined = conventions.get(spec.name)!;
      expect(spec.kind, spec.name).toBe(defined.kind);
      expect(spec.unit, spec.name).toBe(defined.unit);
      expect('buckets' in spec ? [...spec.buckets] : undefined, spec.name).toEqual(defined.buckets);
    }
  });

  it('lists every attribute we put on them (besides openai.*), and we set every required one', async () => {
    const metrics = await exported();
    expect(metrics.map((m) => m.name).sort()).toEqual([...conventions.keys()].sort());
    for (const { name, kind, attributes } of metrics) {
      const defined = conventions.get(name)!;
      expect(kind, name).toBe(defined.kind);
      for (const point of attributes) {
        const ours = Object.keys(point).filter((key) => !key.startsWith('openai.'));
        expect(ours.filter((key) => !defined.attributes.has(key)), name).toEqual([]);
        const required = [...defined.attributes].filter(([, level]) => level === 'Required').map(([key]) => key);
        expect(required.filter((key) => !(key in point)), name).toEqual([]);
        // Conditionally required "if server.address is set".
        expect(point['server.port'], name).toBe(443);
      }
    }
    const duration = metrics.find((m) => m.name === semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION)!;
    expect(duration.attributes.map((a) => a['error.type'])).toContain('429');
  });
});
