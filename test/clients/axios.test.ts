import { SpanStatusCode } from '@opentelemetry/api';
import axios from 'axios';
import { describe, expect } from 'vitest';
import { expectSimulatorSpan } from '../helpers/client-span.ts';
import { simTest as it } from '../helpers/sim-test.ts';

// axios's Node adapter is node:http (through follow-redirects): seen on Node's http.client.* channels.
describe('axios (node:http adapter)', () => {
  const headers = { authorization: 'Bearer sk-axios-secret' };
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

  it('gives a chat call the same span as fetch, without the model', async ({ sim, otel }) => {
    const res = await axios.post(`${sim.url}/chat/completions`, body, { headers });
    expect(res.status).toBe(200);
    const [span] = await otel.waitForSpans(1);
    expectSimulatorSpan(span, sim, { operation: 'chat', model: undefined, path: '/chat/completions' });
    expect(otel.instrumentation.inFlightRequests).toBe(0);
  });

  it('marks an HTTP error as an error span, and a streamed response ends when read', async ({ sim, otel }) => {
    await expect(axios.post(`${sim.url}/chat/completions`, body, { headers: { ...headers, 'x-simulator-status': '500' } })).rejects.toThrow();
    const res = await axios.post(`${sim.url}/chat/completions`, { ...body, stream: true }, { headers, responseType: 'stream' });
    for await (const _ of res.data as AsyncIterable<Buffer>);
    const spans = await otel.waitForSpans(2);
    expect(spans[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]!.attributes['error.type']).toBe('500');
    expect(spans[1]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans[1]!.attributes['http.response.status_code']).toBe(200);
  });

  it('records a refused connection with its code', async ({ sim, otel }) => {
    const port = sim.port;
    await sim.close();
    await expect(axios.post(`http://127.0.0.1:${port}/v1/chat/completions`, body, { headers })).rejects.toThrow();
    const [span] = await otel.waitForSpans(1);
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
  });
});
