import diagnosticsChannel from 'node:diagnostics_channel';
import { SpanKind, trace, type Span, type Tracer } from '@opentelemetry/api';
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
