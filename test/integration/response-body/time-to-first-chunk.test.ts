import { describe, expect } from 'vitest';
import type { Simulator } from '../../../simulator/index.ts';
import { metricPoints } from '../../helpers/metric-points.ts';
import { publishesBodyChunksReceived } from '../../helpers/runtime.ts';
import { simTest as it } from '../../helpers/sim-test.ts';

const readable = await publishesBodyChunksReceived();
const QUEUED_MS = 250;

const stream = (sim: Simulator, headers: Record<string, string>): Promise<Response> =>
  fetch(`${sim.url}/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers },
  });

describe.runIf(readable)('time to first chunk', () => {
  it('counts from the request to the first data event, not to the keep-alive comments a queued stream opens with', async ({ sim, otel }) => {
    for (const encoding of ['gzip', 'identity']) {
      const res = await stream(sim, { 'x-simulator-keep-alive-ms': String(QUEUED_MS), 'x-simulator-encoding': encoding });
      await res.text();
    }
    const spans = await otel.waitForSpans(2);
    for (const span of spans) {
      const ttfc = span.attributes['gen_ai.response.time_to_first_chunk'] as number;
      expect(ttfc).toBeGreaterThanOrEqual((QUEUED_MS - 10) / 1000);
      expect(ttfc * 1000).toBeLessThanOrEqual(span.duration[0] * 1e3 + span.duration[1] / 1e6);
    }
    const histogram = metricPoints(await otel.reader.read()).filter((p) => p.name === 'gen_ai.client.operation.time_to_first_chunk');
    expect(histogram.length).toBeGreaterThan(0);
    // A histogram point holds the sum of its samples: both were queued.
    for (const point of histogram) expect(point.value).toBeGreaterThanOrEqual((2 * (QUEUED_MS - 10)) / 1000);
  });
});
