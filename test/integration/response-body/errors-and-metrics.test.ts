import type { Attributes } from '@opentelemetry/api';
import type { Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import OpenAI from 'openai';
import { afterEach, describe, expect } from 'vitest';
import type { Simulator } from '../../../simulator/index.ts';
import { expectedFromError } from '../../helpers/body-oracle.ts';
import { startHttpServer, type TestServer } from '../../helpers/http-server.ts';
import { setupOtel, type TestOtel } from '../../helpers/otel.ts';
import { publishesBodyChunksReceived } from '../../helpers/runtime.ts';
import { simTest as it } from '../../helpers/sim-test.ts';

const readable = await publishesBodyChunksReceived();
const client = (sim: Simulator, apiKey = 'sk-test'): OpenAI => new OpenAI({ apiKey, baseURL: sim.url, maxRetries: 0 });
const messages = [{ role: 'user' as const, content: 'Say hello' }];

interface Point {
  readonly attributes: Attributes;
  readonly count: number;
  readonly sum: number;
}

function histogram(metrics: ResourceMetrics, name: string): Point[] {
  const out: Point[] = [];
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const p of metric.dataPoints) {
        const value = p.value as Histogram;
        out.push({ attributes: p.attributes, count: value.count, sum: value.sum ?? 0 });
      }
    }
  }
  return out;
}

/** The error the SDK threw, and the body it parsed out of the response. */
async function failure(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  const apiError = error as InstanceType<typeof OpenAI.APIError>;
  return { status: apiError.status ?? 0, body: { error: apiError.error } };
}

describe.runIf(readable)('which 429 it was: error bodies on the span and the duration histogram', () => {
  it('tells insufficient_quota (pay) from rate_limit_exceeded (wait), both 429', async ({ sim, otel }) => {
    sim.setQuota({ apiKey: 'sk-dry', exhausted: true });
    const dry = await failure(client(sim, 'sk-dry').chat.completions.create({ model: 'gpt-4o-mini', messages }));
    const limited = await failure(
      client(sim).chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-simulator-error': 'rate_limit_requests' } }),
    );
    expect([dry.status, limited.status]).toEqual([429, 429]);
    const [drySpan, limitedSpan] = await otel.waitForSpans(2);
    expect(drySpan!.attributes).toMatchObject({ 'error.type': '429', ...expectedFromError(dry.body) });
    expect(drySpan!.attributes['openai.error.code']).toBe('insufficient_quota');
    expect(limitedSpan!.attributes).toMatchObject({ 'error.type': '429', ...expectedFromError(limited.body) });
    expect(limitedSpan!.attributes['openai.error.code']).toBe('rate_limit_exceeded');
    // Never the message: it can quote the request.
    for (const span of [drySpan!, limitedSpan!]) {
      for (const value of Object.values(span.attributes)) expect(String(value)).not.toMatch(/quota, please|Rate limit reached/);
      expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    }

    const durations = histogram(await otel.reader.read(), 'gen_ai.client.operation.duration');
    expect(durations.map((p) => [p.attributes['error.type'], p.attributes['openai.error.code'], p.count])).toEqual([
      ['429', 'insufficient_quota', 1],
      ['429', 'rate_limit_exceeded', 1],
    ]);
  });

  it('gives every named simulator error its code and type', async ({ sim, otel }) => {
    const names = ['invalid_api_key', 'model_not_found', 'context_length_exceeded', 'server_error'];
    const bodies: unknown[] = [];
    for (const name of names) {
      bodies.push((await failure(client(sim).chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-simulator-error': name } }))).body);
    }
    const spans = await otel.waitForSpans(names.length);
    spans.forEach((span, i) => expect(span.attributes, names[i]).toMatchObject(expectedFromError(bodies[i])));
    expect(spans.map((s) => s.attributes['openai.error.code'])).toEqual(['invalid_api_key', 'model_not_found', 'context_length_exceeded', undefined]);
    expect(spans[3]!.attributes['openai.error.type']).toBe('server_error');
  });

  it('records token usage per type with the response model; nothing for a stream without usage; time to first chunk for streams only', async ({ sim, otel }) => {
    const completion = await client(sim).chat.completions.create({ model: 'gpt-4o-mini', messages });
    const plain = await client(sim).chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    for await (const _ of plain) void _;
    await otel.waitForSpans(2);
    const metrics = await otel.reader.read();
    const tokens = histogram(metrics, 'gen_ai.client.token.usage');
    expect(tokens.map((p) => [p.attributes['gen_ai.token.type'], p.count, p.sum])).toEqual([
      ['input', 1, completion.usage!.prompt_tokens],
      ['output', 1, completion.usage!.completion_tokens],
    ]);
    for (const p of tokens) {
      expect(p.attributes).toEqual({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'server.address': '127.0.0.1',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': completion.model,
        'gen_ai.token.type': p.attributes['gen_ai.token.type'],
        // Whose quota and bill: the simulator names both, as OpenAI does.
        'openai.organization': 'org-simulator',
        'openai.project': 'proj_simulator',
      });
    }
    const ttfc = histogram(metrics, 'gen_ai.client.operation.time_to_first_chunk');
    expect(ttfc.map((p) => p.count)).toEqual([1]);
    expect(ttfc[0]!.sum).toBeGreaterThan(0);
  });
});

describe.runIf(readable)('openai.error.code on the duration histogram is bounded', () => {
  let server: TestServer | undefined;
  let otel: TestOtel | undefined;
  afterEach(async () => {
    await otel?.shutdown();
    await server?.close();
  });

  it('records a code OpenAI does not document as _OTHER, while the span keeps it', async () => {
    server = await startHttpServer((req, res) => {
      req.resume();
      res.writeHead(402, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'no', type: 'billing', code: 'acct_1234_frozen' } }));
    });
    otel = setupOtel({ endpoints: [`${server.origin}/v1`] });
    await (await fetch(`${server.origin}/v1/chat/completions`, { method: 'POST', body: '{"model":"m"}' })).text();
    const [span] = await otel.waitForSpans(1);
    expect(span!.attributes['openai.error.code']).toBe('acct_1234_frozen');
    const [point] = histogram(await otel.reader.read(), 'gen_ai.client.operation.duration');
    expect(point!.attributes['openai.error.code']).toBe('_OTHER');
  });
});
