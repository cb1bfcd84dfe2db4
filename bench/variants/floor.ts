import diagnosticsChannel from 'node:diagnostics_channel';
import { context, SpanKind, trace, type AttributeValue, type Attributes, type Context, type Histogram, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { GEN_AI_DURATION_BUCKETS, GEN_AI_TOKEN_USAGE_BUCKETS } from '../../src/semconv.ts';
import { startSdk } from '../otel-sdk.ts';
import { fetchChat } from './request.ts';
import type { Target, Workload } from './types.ts';

/**
 * The floor under any span-per-request instrumentation: a hand-written subscriber that starts
 * one SDK span (no attributes) on `undici:request:create` and ends it on `trailers`, correlated
 * by a WeakMap. No instrumentation that emits a span per request through this SDK can cost
 * less, so it tells the SDK's share of the cost from ours.
 */
export function minimalSubscriber(tracer: Tracer): { enable(): void; disable(): void } {
  const spans = new WeakMap<object, Span>();
  const onCreate = (message: unknown): void => {
    const request = (message as { request: object }).request;
    spans.set(request, tracer.startSpan('POST', { kind: SpanKind.CLIENT }));
  };
  const onEnd = (message: unknown): void => {
    const request = (message as { request: object }).request;
    const span = spans.get(request);
    if (span === undefined) return;
    spans.delete(request);
    span.end();
  };
  const channels: Array<[string, (message: unknown) => void]> = [
    ['undici:request:create', onCreate],
    ['undici:request:trailers', onEnd],
    ['undici:request:error', onEnd],
  ];
  return {
    enable: () => channels.forEach(([name, fn]) => diagnosticsChannel.subscribe(name, fn)),
    disable: () => channels.forEach(([name, fn]) => diagnosticsChannel.unsubscribe(name, fn)),
  };
}

/** (m) The minimal subscriber on the shared SDK. */
export async function floorVariant(target: Target): Promise<Workload> {
  const sdk = startSdk({ metrics: false });
  const subscriber = minimalSubscriber(trace.getTracer('bench-floor'));
  subscriber.enable();
  return {
    call: fetchChat(target.baseUrl),
    toggle: (on) => (on ? subscriber.enable() : subscriber.disable()),
    flush: () => sdk.tracerProvider.forceFlush(),
    exported: sdk.exported,
    async shutdown() {
      subscriber.disable();
      await sdk.shutdown();
    },
  };
}

/**
 * What this library emits per OpenAI call, with every value known in advance: one span with the
 * same name, kind and attributes (the request's at startSpan, the response's one by one, as
 * ours sets them) and the same metric records (both histograms, six gauges observed at
 * collection). The values are the synthetic response's; the SDK's cost barely depends on them.
 */
export interface SameOutput {
  readonly spanName: string;
  readonly requestAttributes: Attributes;
  readonly responseAttributes: ReadonlyArray<readonly [string, AttributeValue]>;
  /** Attributes of both duration histograms. */
  readonly operationAttributes: Attributes;
  /** Attributes of the six rate-limit gauges. */
  readonly quotaAttributes: Attributes;
  readonly gaugeValues: readonly number[];
  readonly processingSeconds: number;
  /** What ours adds from a chat completion's body: its span attributes and the two token-usage records. */
  readonly body?: {
    readonly attributes: ReadonlyArray<readonly [string, AttributeValue]>;
    readonly tokenUsage: ReadonlyArray<readonly [number, Attributes]>;
  };
}

export function sameOutputAs(target: { origin: string; path: string }, withBody = false): SameOutput {
  const url = new URL(target.path, target.origin);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const tokens = (type: string): Attributes => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'server.address': url.hostname,
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.token.type': type,
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  });
  const body: SameOutput['body'] = {
    attributes: [
      ['gen_ai.response.id', 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT'],
      ['gen_ai.response.model', 'gpt-4o-mini-2024-07-18'],
      ['gen_ai.response.finish_reasons', ['stop']],
      ['gen_ai.usage.input_tokens', 19],
      ['gen_ai.usage.output_tokens', 10],
      ['gen_ai.usage.cache_read.input_tokens', 0],
      ['gen_ai.usage.reasoning.output_tokens', 0],
      ['openai.response.service_tier', 'default'],
      ['openai.response.system_fingerprint', 'fp_06737a9306'],
    ],
    tokenUsage: [[19, tokens('input')], [10, tokens('output')]],
  };
  return {
    ...(withBody ? { body } : {}),
    spanName: 'chat gpt-4o-mini',
    requestAttributes: {
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'server.address': url.hostname,
      'server.port': port,
      'http.request.method': 'POST',
      'url.full': url.href,
      'openai.api.type': 'chat_completions',
      'gen_ai.request.model': 'gpt-4o-mini',
    },
    responseAttributes: [
      ['http.response.status_code', 200],
      ['openai.request.id', 'req_8f9c1b2e4a7d4e0f9b3c2a1d5e6f7a8b'],
      ['openai.organization', 'user-abc123'],
      ['openai.project', 'proj_Xk2mPz7qR1vN8wLb'],
      ['openai.version', '2020-10-01'],
      ['openai.processing_ms', 412],
      ['openai.ratelimit.requests.limit', 10000],
      ['openai.ratelimit.requests.remaining', 9999],
      ['openai.ratelimit.requests.reset', 0.006],
      ['openai.ratelimit.tokens.limit', 2000000],
      ['openai.ratelimit.tokens.remaining', 1999750],
      ['openai.ratelimit.tokens.reset', 86.4],
    ],
    operationAttributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'server.address': url.hostname,
      'gen_ai.request.model': 'gpt-4o-mini',
    },
    quotaAttributes: {
      'gen_ai.provider.name': 'openai',
      'server.address': url.hostname,
      'openai.organization': 'user-abc123',
      'openai.project': 'proj_Xk2mPz7qR1vN8wLb',
      'gen_ai.request.model': 'gpt-4o-mini',
    },
    gaugeValues: [9999, 10000, 0.006, 1999750, 2000000, 86.4],
    processingSeconds: 0.412,
  };
}

/**
 * The floor under this library: a hand-written subscriber that emits the same span and the same
 * metric records as ours for every request to one origin, doing nothing else (no header
 * parsing, no model scan, no endpoint table, no per-quota store). The gap between ours and this
 * is our own work; the rest is the SDK's.
 */
export function sameOutputSubscriber(
  tracer: Tracer,
  meter: Meter,
  origin: string,
  output: SameOutput,
): { enable(): void; disable(): void } {
  const records = new WeakMap<object, { startTime: number; parent: Context }>();
  const histogram = (name: string): Histogram =>
    meter.createHistogram(name, { unit: 's', advice: { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS] } });
  const operationDuration = histogram('gen_ai.client.operation.duration');
  const tokenUsage = meter.createHistogram('gen_ai.client.token.usage', { unit: '{token}', advice: { explicitBucketBoundaries: [...GEN_AI_TOKEN_USAGE_BUCKETS] } });
  const processingDuration = histogram('openai.processing.duration');
  const gauges = [
    'openai.ratelimit.requests.remaining', 'openai.ratelimit.requests.limit', 'openai.ratelimit.requests.reset',
    'openai.ratelimit.tokens.remaining', 'openai.ratelimit.tokens.limit', 'openai.ratelimit.tokens.reset',
  ].map((name) => meter.createObservableGauge(name));
  let active = false;
  meter.addBatchObservableCallback((result) => {
    if (!active) return;
    for (let i = 0; i < gauges.length; i++) result.observe(gauges[i]!, output.gaugeValues[i]!, output.quotaAttributes);
  }, gauges);

  const onCreate = (message: unknown): void => {
    const request = (message as { request: { origin: string } }).request;
    if (request.origin !== origin) return;
    records.set(request, { startTime: performance.now(), parent: context.active() });
  };
  const onHeaders = (message: unknown): void => {
    if (records.has((message as { request: object }).request)) processingDuration.record(output.processingSeconds, output.operationAttributes);
  };
  const onEnd = (message: unknown): void => {
    const request = (message as { request: object }).request;
    const record = records.get(request);
    if (record === undefined) return;
    records.delete(request);
    const endTime = performance.now();
    const span = tracer.startSpan(output.spanName, { kind: SpanKind.CLIENT, startTime: record.startTime, attributes: output.requestAttributes }, record.parent);
    const response = output.responseAttributes;
    for (let i = 0; i < response.length; i++) span.setAttribute(response[i]![0], response[i]![1]);
    const body = output.body;
    if (body !== undefined) for (let i = 0; i < body.attributes.length; i++) span.setAttribute(body.attributes[i]![0], body.attributes[i]![1]);
    span.end(endTime);
    operationDuration.record((endTime - record.startTime) / 1000, output.operationAttributes);
    if (body !== undefined) for (let i = 0; i < body.tokenUsage.length; i++) tokenUsage.record(body.tokenUsage[i]![0], body.tokenUsage[i]![1]);
  };
  const channels: Array<[string, (message: unknown) => void]> = [
    ['undici:request:create', onCreate],
    ['undici:request:headers', onHeaders],
    ['undici:request:trailers', onEnd],
    ['undici:request:error', onEnd],
  ];
  return {
    enable: () => {
      active = true;
      channels.forEach(([name, fn]) => diagnosticsChannel.subscribe(name, fn));
    },
    disable: () => {
      active = false;
      channels.forEach(([name, fn]) => diagnosticsChannel.unsubscribe(name, fn));
    },
  };
}

/** (m+) The same-output floor on the shared SDK, with the same metric reader as ours. */
export async function sameOutputFloorVariant(target: Target): Promise<Workload> {
  const sdk = startSdk({ metrics: true });
  const base = new URL(target.baseUrl);
  const subscriber = sameOutputSubscriber(
    trace.getTracer('bench-floor-ours'),
    sdk.meterProvider!.getMeter('bench-floor-ours'),
    base.origin,
    // The simulator answers with a chat completion body, which ours reads on this Node.
    sameOutputAs({ origin: base.origin, path: `${base.pathname}/chat/completions` }, true),
  );
  subscriber.enable();
  return {
    call: fetchChat(target.baseUrl),
    toggle: (on) => (on ? subscriber.enable() : subscriber.disable()),
    flush: () => sdk.tracerProvider.forceFlush(),
    exported: sdk.exported,
    async shutdown() {
      subscriber.disable();
      await sdk.shutdown();
    },
  };
}
