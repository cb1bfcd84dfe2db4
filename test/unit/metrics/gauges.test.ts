import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DiagLogger } from '@opentelemetry/api';
import * as semconv from '../../../src/semconv.ts';
import { gauge, harness, limits, metric, points, record, type MetricsHarness } from './fixtures.ts';

const GAUGES = [
  [semconv.METRIC_REQUESTS_REMAINING, semconv.UNIT_REQUEST],
  [semconv.METRIC_REQUESTS_LIMIT, semconv.UNIT_REQUEST],
  [semconv.METRIC_REQUESTS_RESET, semconv.UNIT_SECONDS],
  [semconv.METRIC_TOKENS_REMAINING, semconv.UNIT_TOKEN],
  [semconv.METRIC_TOKENS_LIMIT, semconv.UNIT_TOKEN],
  [semconv.METRIC_TOKENS_RESET, semconv.UNIT_SECONDS],
] as const;

describe('rate-limit gauges', () => {
  let h: MetricsHarness;
  afterEach(async () => {
    await h?.shutdown();
  });

  it('exports six gauges with the documented names and units, keyed by provider, server, organization, project and model only', async () => {
    h = harness();
    h.metrics.onResponse(record({}, limits([600, 599, 0.1], [150_000, 149_000, 0.4])));
    const data = await h.collect();
    for (const [name, unit] of GAUGES) {
      const m = metric(data, name);
      expect(m?.descriptor.unit, name).toBe(unit);
      expect(m?.dataPoints).toHaveLength(1);
      expect(m?.dataPoints[0]?.attributes).toEqual({
        'gen_ai.provider.name': 'openai',
        'server.address': 'api.openai.com',
        'openai.organization': 'org-a',
        'openai.project': 'proj_a',
        'gen_ai.request.model': 'gpt-4o',
      });
    }
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBe(599);
    expect(gauge(data, semconv.METRIC_REQUESTS_LIMIT)).toBe(600);
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBe(0.1);
    expect(gauge(data, semconv.METRIC_TOKENS_REMAINING)).toBe(149_000);
    expect(gauge(data, semconv.METRIC_TOKENS_LIMIT)).toBe(150_000);
    expect(gauge(data, semconv.METRIC_TOKENS_RESET)).toBe(0.4);
  });

  it('projects to collection time: remaining refills to the limit over the reset time, reset counts down to 0', async () => {
    h = harness();
    h.metrics.onResponse(record({}, limits([600, 0, 60], [1000, 200, 20])));
    h.clock.ms += 15_000;
    let data = await h.collect();
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBe(150);
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBe(45);
    expect(gauge(data, semconv.METRIC_TOKENS_REMAINING)).toBe(800);
    expect(gauge(data, semconv.METRIC_TOKENS_RESET)).toBe(5);
    h.clock.ms += 60_000;
    data = await h.collect();
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBe(600);
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBe(0);
    expect(gauge(data, semconv.METRIC_REQUESTS_LIMIT)).toBe(600);
    expect(gauge(data, semconv.METRIC_TOKENS_REMAINING)).toBe(1000);
  });

  it('reports the last observed values with projectRateLimits: false', async () => {
    h = harness({ projectRateLimits: false });
    h.metrics.onResponse(record({}, limits([600, 0, 60])));
    h.clock.ms += 30_000;
    const data = await h.collect();
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBe(0);
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBe(60);
  });

  it('reads projectRateLimits at every collection, so setConfig takes effect at once', async () => {
    h = harness();
    h.metrics.onResponse(record({}, limits([600, 0, 60])));
    h.clock.ms += 30_000;
    expect(gauge(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toBe(300);
    h.setConfig({ projectRateLimits: false });
    expect(gauge(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toBe(0);
  });

  it('replaces the projection with a newer response', async () => {
    h = harness();
    h.metrics.onResponse(record({ startTime: 1 }, limits([600, 0, 60])));
    h.clock.ms += 30_000;
    h.metrics.onResponse(record({ startTime: 2 }, limits([600, 10, 59])));
    expect(gauge(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toBe(10);
    h.clock.ms += 5_900;
    const data = await h.collect();
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBe(69);
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBeCloseTo(53.1, 9);
  });

  it('keeps the newer state when a response to an earlier request arrives later', async () => {
    h = harness();
    // Request A was sent first and is slow; B was sent later and answered first.
    const a = record({ startTime: 100 }, limits([600, 500, 10]));
    const b = record({ startTime: 200 }, limits([600, 450, 15]));
    h.metrics.onResponse(b);
    h.clock.ms += 1_000;
    h.metrics.onResponse(a);
    const data = await h.collect();
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBe(450 + Math.floor((150 * 1) / 15));
    expect(gauge(data, semconv.METRIC_REQUESTS_RESET)).toBe(14);
  });

  it('times the observation when the headers arrive: an older stream ending later changes nothing', async () => {
    h = harness();
    const stream = record({ startTime: 1 }, limits([600, 300, 30]));
    const quick = record({ startTime: 2 }, limits([600, 100, 50]));
    h.metrics.onResponse(stream);
    h.metrics.onResponse(quick);
    h.metrics.onEnd(quick, 0.1, undefined);
    h.clock.ms += 20_000;
    h.metrics.onEnd(stream, 20, undefined);
    expect(gauge(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toBe(100 + Math.floor((500 * 20) / 50));
  });

  it('records the state a 429 reports', async () => {
    h = harness();
    h.metrics.onResponse(record({ statusCode: 429 }, limits([600, 0, 0.5])));
    expect(gauge(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toBe(0);
  });

  it('gives each model, organization and project its own series', async () => {
    h = harness();
    h.metrics.onResponse(record({ model: 'gpt-4o' }, limits([600, 1, 1])));
    h.metrics.onResponse(record({ model: 'gpt-4o-mini' }, limits([600, 2, 1])));
    h.metrics.onResponse(record({ model: 'gpt-4o' }, { ...limits([600, 3, 1]), organization: 'org-b' }));
    h.metrics.onResponse(record({ model: 'gpt-4o' }, { ...limits([600, 4, 1]), project: 'proj_b' }));
    const data = await h.collect();
    expect(points(data, semconv.METRIC_REQUESTS_REMAINING).map((p) => p.value).sort()).toEqual([1, 2, 3, 4]);
  });

  it('shares one series without gen_ai.request.model when the model could not be read', async () => {
    h = harness();
    h.metrics.onResponse(record({ model: undefined, startTime: 1 }, limits([600, 5, 1])));
    h.metrics.onResponse(record({ model: undefined, startTime: 2 }, limits([600, 4, 1])));
    const [point, ...rest] = points(await h.collect(), semconv.METRIC_REQUESTS_REMAINING);
    expect(rest).toEqual([]);
    expect(point?.value).toBe(4);
    expect(point?.attributes).not.toHaveProperty('gen_ai.request.model');
  });

  it('leaves out organization and project when the response did not name them', async () => {
    h = harness();
    h.metrics.onResponse(record({}, { ...limits([600, 5, 1]), organization: undefined, project: undefined }));
    const [point] = points(await h.collect(), semconv.METRIC_REQUESTS_LIMIT);
    expect(Object.keys(point!.attributes).sort()).toEqual(['gen_ai.provider.name', 'gen_ai.request.model', 'server.address']);
  });

  it('reports only the gauges whose headers arrived (Azure sends only remaining)', async () => {
    h = harness();
    h.metrics.onResponse(record({ provider: 'azure.ai.openai', serverAddress: 'x.openai.azure.com' }, { requestsRemaining: 9, tokensRemaining: 900 }));
    h.clock.ms += 10_000;
    const data = await h.collect();
    expect(gauge(data, semconv.METRIC_REQUESTS_REMAINING)).toBe(9);
    expect(gauge(data, semconv.METRIC_TOKENS_REMAINING)).toBe(900);
    for (const name of [semconv.METRIC_REQUESTS_LIMIT, semconv.METRIC_REQUESTS_RESET, semconv.METRIC_TOKENS_LIMIT, semconv.METRIC_TOKENS_RESET]) {
      expect(points(data, name), name).toEqual([]);
    }
  });

  it('ignores a response without rate-limit headers, keeping the last known state', async () => {
    h = harness();
    h.metrics.onResponse(record({ startTime: 1 }, limits([600, 5, 0])));
    h.metrics.onResponse(record({ startTime: 2, statusCode: 502 }, {}));
    expect(gauge(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toBe(5);
  });

  it('reports nothing before the first response', async () => {
    h = harness();
    const data = await h.collect();
    for (const [name] of GAUGES) expect(points(data, name)).toEqual([]);
  });

  it('caps the quotas it reports, drops the least recently observed past the cap, and warns once', async () => {
    const diag = { warn: vi.fn(), error: vi.fn() } as unknown as DiagLogger;
    h = harness({}, { maxSeries: 3, diag });
    for (let i = 0; i < 10; i++) h.metrics.onResponse(record({ model: `m${i}`, startTime: i }, limits([600, i, 1])));
    const values = points(await h.collect(), semconv.METRIC_REQUESTS_REMAINING).map((p) => p.value);
    expect(values.sort()).toEqual([7, 8, 9]);
    expect(diag.warn).toHaveBeenCalledTimes(1);
  });

  it('reports nothing while the instrumentation is not active', async () => {
    let active = true;
    h = harness({}, { active: () => active });
    h.metrics.onResponse(record({}, limits([600, 5, 1])));
    active = false;
    expect(points(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toEqual([]);
    active = true;
    expect(points(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toHaveLength(1);
  });

  it('removes its gauge callback on dispose, so a replaced meter stops reporting', async () => {
    h = harness();
    h.metrics.onResponse(record({}, limits([600, 5, 1])));
    h.metrics.dispose();
    expect(points(await h.collect(), semconv.METRIC_REQUESTS_REMAINING)).toEqual([]);
  });

  it('logs instead of throwing when the clock fails at collection', async () => {
    const diag = { warn: vi.fn(), error: vi.fn() } as unknown as DiagLogger;
    h = harness({}, {
      diag,
      now: () => {
        throw new Error('clock broke');
      },
    });
    expect(() => h.metrics.onResponse(record({}, limits([600, 5, 1])))).not.toThrow();
    await expect(h.collect()).resolves.toBeDefined();
    expect(diag.error).toHaveBeenCalled();
  });
});
