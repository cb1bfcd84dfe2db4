import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { setupOtlpPipeline, type OtlpPipeline } from '../helpers/otlp-pipeline.ts';

describe("the SDK's own OTLP exports", () => {
  let sim: Simulator;
  let receiver: OtlpReceiver;
  let pipeline: OtlpPipeline;
  afterEach(async () => {
    await pipeline.shutdown();
    await receiver.close();
    await sim.close();
  });

  it('are never traced, even when the collector sits on a host matched as a provider (Ollama and a Collector on one machine)', async () => {
    sim = await startSimulator();
    receiver = await startOtlpReceiver();
    // A bare host matches every port and path on it: the receiver's too.
    pipeline = setupOtlpPipeline(receiver.url, { endpoints: [{ url: '127.0.0.1', provider: 'ollama' }] });
    const body = JSON.stringify({ model: 'llama3', messages: [{ role: 'user', content: 'hi' }] });
    await (await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer x' }, body })).text();
    await receiver.waitFor(() => receiver.spans().length >= 1 && receiver.metrics().length > 0);
    // Let a few more export rounds go out: none of them may come back as spans.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await pipeline.tracerProvider.forceFlush();
    const ops = receiver.spans().map((s) => s.attributes['gen_ai.operation.name']);
    expect(ops).toEqual(['chat']);
    // Nor measured: the duration histogram knows the app's call only.
    const latest = receiver.metrics().filter((m) => m.name === 'gen_ai.client.operation.duration').at(-1);
    expect(JSON.stringify(latest?.raw)).toContain('"chat"');
    expect(JSON.stringify(latest?.raw)).not.toMatch(/"(traces|metrics)"/);
    expect(pipeline.instrumentation.inFlightRequests).toBe(0);
  });
});
