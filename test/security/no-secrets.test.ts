import http from 'node:http';
import zlib from 'node:zlib';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import OpenAI, { AzureOpenAI } from 'openai';
import OpenAIv4 from 'openai-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { startHttpServer } from '../helpers/http-server.ts';
import { setupOtlpPipeline, type OtlpPipeline } from '../helpers/otlp-pipeline.ts';
import { publishesBodyChunksReceived } from '../helpers/runtime.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

// Distinctive values: if any of them shows up anywhere we export or log, it leaked.
const SECRETS = {
  bearer: 'sk-proj-LEAKCHECK-bearer-7d2f9a',
  azureKey: 'LEAKCHECK-azure-api-key-41c8',
  cookie: 'LEAKCHECK-session-cookie-9b1e',
  queryKey: 'LEAKCHECK-query-key-0a7c',
  password: 'LEAKCHECK-password-5e3d',
  prompt: 'LEAKCHECK prompt text that must stay private',
};

describe('secrets never leave the app through the instrumentation', () => {
  let sim: Simulator;
  let azure: Simulator;
  let receiver: OtlpReceiver;
  let pipeline: OtlpPipeline;
  const logs: string[] = [];
  beforeAll(async () => {
    sim = await startSimulator();
    azure = await startSimulator({ mode: 'azure' });
    receiver = await startOtlpReceiver();
    const log = (level: string) => (...args: unknown[]) => logs.push(`${level} ${args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : safeString(a))).join(' ')}`);
    diag.setLogger({ error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), verbose: log('verbose') }, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
    pipeline = setupOtlpPipeline(receiver.url, {
      endpoints: [sim.url, { url: `${azure.origin}/openai`, provider: 'azure.ai.openai' }],
      responseHook: () => {
        throw new Error('a buggy hook');
      },
    });
  });
  afterAll(async () => {
    await pipeline.shutdown();
    diag.disable();
    await receiver.close();
    await sim.close();
    await azure.close();
  });

  it('in spans, metrics, diagnostic logs and error messages, for every kind of credential and call', async () => {
    const messages = [{ role: 'user' as const, content: SECRETS.prompt }];
    const client = new OpenAI({ apiKey: SECRETS.bearer, baseURL: sim.url, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    for await (const _ of stream);
    await client.chat.completions.create({ model: 'gpt-4o', messages }, { headers: { cookie: `session=${SECRETS.cookie}`, 'x-simulator-status': '401' } }).catch(() => undefined);
    await new OpenAIv4({ apiKey: SECRETS.bearer, baseURL: sim.url, maxRetries: 0 }).embeddings.create({ model: 'e', input: SECRETS.prompt });
    await new AzureOpenAI({ endpoint: azure.origin, apiKey: SECRETS.azureKey, apiVersion: '2024-10-21', deployment: 'd', maxRetries: 0 }).chat.completions.create({ model: 'x', messages });
    // A key in the query string, and user:password in the URL (node:http `auth`).
    await (await fetch(`${sim.url}/models?api-key=${SECRETS.queryKey}&key=${SECRETS.queryKey}`, { headers: { authorization: `Bearer ${SECRETS.bearer}` } })).text();
    await new Promise<void>((resolve) =>
      http
        .request(`${sim.url}/models?api_key=${SECRETS.queryKey}`, { auth: `user:${SECRETS.password}`, headers: { authorization: `Bearer ${SECRETS.bearer}`, cookie: SECRETS.cookie } }, (r) => r.resume().on('close', resolve))
        .end(),
    );
    // Failures: a refused connection and an aborted call, with credentials on the request.
    const closed = await startSimulator();
    const deadUrl = closed.url;
    await closed.close();
    pipeline.instrumentation.setConfig({
      endpoints: [sim.url, deadUrl, { url: `${azure.origin}/openai`, provider: 'azure.ai.openai' }],
      responseHook: () => {
        throw new Error('a buggy hook');
      },
    });
    await new OpenAI({ apiKey: SECRETS.bearer, baseURL: deadUrl, maxRetries: 0 }).models.list().catch(() => undefined);
    await new Promise<void>((resolve) => {
      const req = http.request(`${deadUrl}/chat/completions`, { method: 'POST', auth: `user:${SECRETS.password}` });
      req.on('error', () => resolve());
      req.end();
    });
    await client.chat.completions.create({ model: 'gpt-4o', messages }, { signal: AbortSignal.timeout(1), headers: { 'x-simulator-latency-ms': '200' } }).catch(() => undefined);

    await pipeline.tracerProvider.forceFlush();
    await pipeline.meterProvider.forceFlush();
    await receiver.waitFor(() => receiver.spans().length >= 10 && receiver.metrics().length > 0);
    const exported = receiver.requests.map((r) => r.body.toString('utf8')).join('\n');
    expect(receiver.spans().map((s) => s.attributes['error.type'] ?? 'ok').sort()).toEqual(
      ['401', 'ECONNREFUSED', 'ECONNREFUSED', 'TimeoutError', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
    );
    const everything = `${exported}\n${logs.join('\n')}`;
    for (const [name, secret] of Object.entries(SECRETS)) expect(everything.includes(secret), `${name} leaked`).toBe(false);
    expect(logs.some((l) => l.includes('responseHook threw'))).toBe(true);
    const urls = receiver.spans().map((s) => String(s.attributes['url.full']));
    expect(urls.some((u) => u.includes('api-key=REDACTED') && u.includes('key=REDACTED'))).toBe(true);
    expect(urls.some((u) => u.includes('api_key=REDACTED'))).toBe(true);
    for (const u of urls) expect(u).not.toMatch(/\/\/[^/]*@/);
  });
});

/** Text that sits in response bodies: the body reader steps over it, and nothing may export it. */
const BODY_TEXT = {
  content: 'LEAKCHECK completion content 3f1a',
  delta: 'LEAKCHECK-delta-content-8c2e',
  toolArguments: '{"city":"LEAKCHECK-tool-args-77d0"}',
  errorMessage: 'LEAKCHECK error message that quotes the prompt c41b',
  embedding: 'TEVBS0NIRUNLLWVtYmVkZGluZy1ieXRlcw==',
};

/** An OpenAI-compatible server whose bodies (gzip, as the real API sends them) carry BODY_TEXT everywhere text can be. */
function leakyBodies(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const head = { id: 'chatcmpl-leakcheck', model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_1', service_tier: 'default' };
  const toolCall = { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: BODY_TEXT.toolArguments } };
  let status = 200;
  let type = 'application/json';
  let body: string;
  if (req.url!.endsWith('/embeddings')) {
    body = JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: BODY_TEXT.embedding }], model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } });
  } else if (req.headers['x-kind'] === 'error') {
    status = 429;
    body = JSON.stringify({ error: { message: BODY_TEXT.errorMessage, type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
  } else if (req.headers['x-kind'] === 'sse') {
    type = 'text/event-stream';
    const events = [
      { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: BODY_TEXT.delta }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { tool_calls: [toolCall] }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { ...head, choices: [], usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 } },
    ];
    body = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
  } else {
    body = JSON.stringify({
      ...head,
      choices: [{ index: 0, message: { role: 'assistant', content: BODY_TEXT.content, tool_calls: [{ ...toolCall, index: undefined }] }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 },
    });
  }
  res.writeHead(status, { 'content-type': type, 'content-encoding': 'gzip', 'x-request-id': 'req_leakcheck' });
  res.end(zlib.gzipSync(body));
}

describe('prompt and completion text in response bodies is never exported', () => {
  it('content, delta.content, tool-call arguments, error messages and embeddings stay out of spans, metrics and logs', async () => {
    const readable = await publishesBodyChunksReceived();
    const server = await startHttpServer(leakyBodies);
    const receiver = await startOtlpReceiver();
    const logs: string[] = [];
    const log = (...args: unknown[]): void => void logs.push(args.map(safeString).join(' '));
    diag.setLogger({ error: log, warn: log, info: log, debug: log, verbose: log }, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
    const pipeline = setupOtlpPipeline(receiver.url, { endpoints: [`${server.origin}/v1`] });
    try {
      const call = async (path: string, kind: string): Promise<void> => {
        const res = await fetch(`${server.origin}/v1${path}`, { method: 'POST', body: '{"model":"gpt-4o-mini"}', headers: { 'x-kind': kind } });
        await res.text();
      };
      await call('/chat/completions', 'json');
      await call('/chat/completions', 'sse');
      await call('/chat/completions', 'error');
      await call('/embeddings', 'json');
      await pipeline.tracerProvider.forceFlush();
      await pipeline.meterProvider.forceFlush();
      await receiver.waitFor(() => receiver.spans().length >= 4 && receiver.metrics().length > 0);
      const spans = receiver.spans();
      // The bodies were read (where the runtime lets them be): the scan below is not vacuous.
      if (readable) {
        expect(spans.map((s) => s.attributes['gen_ai.response.id'] ?? s.attributes['openai.error.code'] ?? s.attributes['gen_ai.response.model'])).toEqual([
          'chatcmpl-leakcheck',
          'chatcmpl-leakcheck',
          'insufficient_quota',
          'text-embedding-3-small',
        ]);
        expect(spans[1]!.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
      }
      const everything = `${receiver.requests.map((r) => r.body.toString('utf8')).join('\n')}\n${logs.join('\n')}`;
      for (const [name, text] of Object.entries(BODY_TEXT)) expect(everything.includes(text), `${name} leaked`).toBe(false);
      expect(everything.includes('LEAKCHECK'), 'a fragment of body text leaked').toBe(false);
    } finally {
      await pipeline.shutdown();
      diag.disable();
      await receiver.close();
      await server.close();
    }
  });
});

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
