import { afterEach, describe, expect, it } from 'vitest';
import * as semconv from '../../../src/semconv.ts';
import { harness, histogramPoints, metric, record, type MetricsHarness } from './fixtures.ts';

describe('duration histograms', () => {
  let h: MetricsHarness;
  afterEach(async () => {
    await h?.shutdown();
  });

  it('records gen_ai.client.operation.duration in seconds with the semconv buckets and attributes', async () => {
    h = harness();
    h.metrics.onEnd(record(), 0.3, undefined);
    const data = await h.collect();
    const m = metric(data, semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(m?.descriptor.unit).toBe('s');
    const [point] = histogramPoints(data, semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(point?.value.buckets.boundaries).toEqual([...semconv.GEN_AI_DURATION_BUCKETS]);
    expect(point?.value.sum).toBe(0.3);
    expect(point?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'openai.organization': 'org-a',
      'openai.project': 'proj_a',
      'server.address': 'api.openai.com',
    });
  });

  it('names the organization and project of each call, so a page can say whose quota or billing stopped', async () => {
    h = harness();
    h.metrics.onEnd(record({ statusCode: 429 }, { project: 'proj_a' }), 0.01, '429');
    h.metrics.onEnd(record({ statusCode: 429 }, { project: 'proj_b' }), 0.01, '429');
    h.metrics.onEnd(record({}, { organization: undefined, project: undefined }), 0.2, undefined);
    const points = histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    const whose = points.map((p) => `${p.attributes['error.type']} ${p.attributes['openai.organization']} ${p.attributes['openai.project']}`);
    expect(whose.sort()).toEqual(['429 org-a proj_a', '429 org-a proj_b', 'undefined undefined undefined']);
  });

  it('adds error.type for failed attempts, so a 429 can be counted', async () => {
    h = harness();
    h.metrics.onEnd(record({ statusCode: 429 }), 0.01, '429');
    h.metrics.onEnd(record({ statusCode: 0 }), 0.02, 'ECONNREFUSED');
    const types = histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION).map((p) => p.attributes['error.type']);
    expect(types.sort()).toEqual(['429', 'ECONNREFUSED']);
  });

  it('leaves out the model when it could not be read, and never a request id', async () => {
    h = harness();
    h.metrics.onEnd(record({ model: undefined }), 0.1, undefined);
    const [point] = histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(Object.keys(point!.attributes).sort()).toEqual(['gen_ai.operation.name', 'gen_ai.provider.name', 'openai.organization', 'openai.project', 'server.address']);
  });

  it('records openai.processing.duration in seconds from openai-processing-ms when the headers arrive', async () => {
    h = harness();
    h.metrics.onResponse(record({}, { processingMs: 412 }));
    h.metrics.onResponse(record({ statusCode: 429 }, { processingMs: 3 }));
    h.metrics.onResponse(record({}, { processingMs: undefined }));
    const data = await h.collect();
    expect(metric(data, semconv.METRIC_OPENAI_PROCESSING_DURATION)?.descriptor.unit).toBe('s');
    const byType = new Map(histogramPoints(data, semconv.METRIC_OPENAI_PROCESSING_DURATION).map((p) => [p.attributes['error.type'], p.value]));
    expect(byType.get(undefined)?.sum).toBeCloseTo(0.412, 9);
    expect(byType.get(undefined)?.count).toBe(1);
    expect(byType.get('429')?.sum).toBeCloseTo(0.003, 9);
  });

  it('never records a duration that is not a finite, non-negative number', async () => {
    h = harness();
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) h.metrics.onEnd(record(), bad, undefined);
    expect(histogramPoints(await h.collect(), semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION)).toEqual([]);
  });
});
