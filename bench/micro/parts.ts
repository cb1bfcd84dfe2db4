/**
 * The hot path's parts, each on its own (network-free, tinybench): header reading for both
 * shapes undici hands over, the reset-duration parser, endpoint matching, the model scan, the
 * span attributes, the SDK span itself (the floor no instrumentation can go under) and the
 * metrics per response. Imports internal modules directly: these are not public API.
 */
import { parseArgs } from 'node:util';
import { context, metrics, trace, SpanKind, type Attributes } from '@opentelemetry/api';
import { Bench } from 'tinybench';
import { findModel } from '../../src/undici/request-model.ts';
import { resolveConfig } from '../../src/config.ts';
import { readResponseHeaders } from '../../src/openai/response-headers.ts';
import { parseResetDuration } from '../../src/openai/duration.ts';
import type { RequestRecord } from '../../src/internal-types.ts';
import { EndpointMatcher } from '../../src/match.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import { readResendCount } from '../../src/undici/request-headers.ts';
import { requestAttributes, setResponseAttributes, spanName } from '../../src/span/attributes.ts';
import { startSdk } from '../otel-sdk.ts';
import { flatHeaderBuffers, objectHeaders } from './messages.ts';

const { values } = parseArgs({ options: { time: { type: 'string', default: '500' }, only: { type: 'string' } } });
const only = values.only?.split(',');

export interface PartResult {
  id: string;
  description: string;
  /** tinybench mean and median wall time per call (microseconds). */
  meanUs: number;
  p50Us: number;
  samples: number;
}

export interface PartsReport {
  kind: 'parts';
  parts: PartResult[];
}

const sdk = startSdk({ metrics: true });
const tracer = trace.getTracer('bench');
const flat = flatHeaderBuffers();
const object = objectHeaders();
const matcher = new EndpointMatcher([], undefined);
const baseUrlMatcher = new EndpointMatcher([{ url: 'https://api.groq.com/openai/v1', provider: 'groq' }], undefined);
const requestHeaders = ['content-type', 'application/json', 'authorization', 'Bearer sk-bench', 'user-agent', 'OpenAI/JS 5.23.0', 'x-stainless-retry-count', '0', 'accept', 'application/json'];
const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 32 }));
const target = matcher.match('https://api.openai.com', '/v1/chat/completions')!;
const record: RequestRecord = {
  target,
  method: 'POST',
  startTime: performance.now(),
  parentContext: context.active(),
  span: undefined,
  model: 'gpt-4o-mini',
  modelBytesScanned: 0,
  resendCount: undefined,
  statusCode: 200,
  headers: readResponseHeaders(flat),
  responseBody: undefined,
  bodyReadable: true,
  firstChunkTime: undefined,
  outputChunks: 0,
  lastChunkEndTime: undefined,
  body: undefined,
  streamDone: false,
  activity: 0,
  ended: false,
};
const config = resolveConfig({});
const observer = createMetrics(metrics.getMeter('bench'), () => config);
/** The response attributes as an object, for the cases that need them all up front. */
function withResponseAttributes(attributes: Attributes): Attributes {
  setResponseAttributes({ setAttribute: (key, value) => (attributes[key] = value) }, record, undefined);
  return attributes;
}
const allAttributes = withResponseAttributes(requestAttributes(record));
let sink: unknown;

const bench = new Bench({ time: Number(values.time), warmupTime: 100 });
const parts: Array<[string, string, () => unknown]> = [
  ['headers-flat', 'read the OpenAI headers from an HTTP/1 flat Buffer[] (25 real response headers)', () => (sink = readResponseHeaders(flat))],
  ['headers-object', 'read the OpenAI headers from an HTTP/2 header object', () => (sink = readResponseHeaders(object))],
  ['duration', "parseResetDuration('1m26.4s') + ('6ms')", () => (sink = (parseResetDuration('1m26.4s') ?? 0) + (parseResetDuration('6ms') ?? 0))],
  ['match-openai', 'endpoint match, an OpenAI request', () => (sink = matcher.match('https://api.openai.com', '/v1/chat/completions'))],
  ['match-base-url', 'endpoint match, a configured base URL with a path prefix', () => (sink = baseUrlMatcher.match('https://api.groq.com', '/openai/v1/chat/completions'))],
  ['match-other', 'endpoint match, another host', () => (sink = matcher.match('https://api.example.com', '/v1/things'))],
  ['resend-count', 'x-stainless-retry-count from the request headers', () => (sink = readResendCount(requestHeaders))],
  ['model', 'find "model" in a chat request body', () => (sink = findModel(body))],
  ['attributes', 'build the span attributes (request + response, into a plain object)', () => (sink = withResponseAttributes(requestAttributes(record)))],
  ['metrics', 'metrics per request: onResponse (gauges + processing histogram) + onEnd (duration histogram)', () => {
    observer.onResponse(record);
    observer.onEnd(record, 0.25, undefined);
  }],
];
for (const [id, , fn] of parts) if (only === undefined || only.includes(id)) bench.add(id, fn);
// The SDK span with all our attributes: async so the batch processor's export can run between calls.
const spanDescription = 'SDK floor: tracer.startSpan(name, { attributes: all 19 }) + end(), batch processor, dropping exporter';
if (only === undefined || only.includes('sdk-span')) bench.add('sdk-span', async () => {
  const span = tracer.startSpan(spanName(record), { kind: SpanKind.CLIENT, startTime: record.startTime, attributes: allAttributes as Attributes }, record.parentContext);
  span.end(performance.now());
});
const requestOnly = requestAttributes(record);
if (only === undefined || only.includes('sdk-span-split')) {
  bench.add('sdk-span-split', async () => {
    const span = tracer.startSpan(spanName(record), { kind: SpanKind.CLIENT, startTime: record.startTime, attributes: requestOnly }, record.parentContext);
    setResponseAttributes(span, record, undefined);
    span.end(performance.now());
  });
}
await bench.run();
void sink;
const descriptions = new Map(parts.map(([id, d]) => [id, d]));
descriptions.set('sdk-span', spanDescription);
descriptions.set('sdk-span-split', 'SDK: request attributes at startSpan (for samplers), response attributes one by one, end()');
const report: PartsReport = {
  kind: 'parts',
  parts: bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
    return { id: task.name, description: descriptions.get(task.name) ?? '', meanUs: result.latency.mean * 1000, p50Us: result.latency.p50 * 1000, samples: result.latency.samplesCount };
  }),
};
await sdk.shutdown();
if (process.send) process.send(report, () => process.exit(0));
else console.table(report.parts.map(({ id, meanUs, p50Us }) => ({ id, meanUs: meanUs.toFixed(3), p50Us: p50Us.toFixed(3) })));
