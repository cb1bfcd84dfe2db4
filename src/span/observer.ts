import { SpanKind, SpanStatusCode, propagation, trace, type DiagLogger, type Span, type Tracer } from '@opentelemetry/api';
import type { RequestObserver, RequestRecord } from '../internal-types.ts';
import type { OpenAIHttpInstrumentationConfig } from '../types.ts';
import { requestAttributes, setBodyAttributes, setResponseAttributes, spanName } from './attributes.ts';

export interface SpanObserverDeps {
  readonly tracer: () => Tracer;
  readonly responseHook: () => OpenAIHttpInstrumentationConfig['responseHook'];
  readonly diag: DiagLogger;
}

/**
 * The span side of the lifecycle: one CLIENT span per attempt, emitted when it ends. Building
 * it then, with its start time, name and every attribute known, sets each attribute once and
 * renames nothing (the model may only have been read from the body after the request started).
 * Only a request whose trace context is propagated needs its span earlier, at open.
 */
export function createSpanObserver(deps: SpanObserverDeps): RequestObserver {
  /** Spans started at open, for trace-context propagation (off by default). */
  const early = new WeakMap<RequestRecord, Span>();
  return {
    onOpen(record, inject) {
      if (inject === undefined) return;
      const span = deps.tracer().startSpan(
        spanName(record),
        { kind: SpanKind.CLIENT, startTime: record.startTime, attributes: requestAttributes(record) },
        record.parentContext,
      );
      early.set(record, span);
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(record.parentContext, span), carrier);
      for (const name of Object.keys(carrier)) inject(name, carrier[name]!);
    },
    onEnd(record, _durationSeconds, errorType) {
      endSpan(deps, early.get(record), record, errorType);
    },
  };
}

/**
 * The request attributes go to startSpan, where samplers see them (as with any HTTP client
 * instrumentation); the response attributes follow one by one. The SDK validates and copies
 * startSpan attributes twice (before and after sampling) and later ones once, so this split
 * is cheaper than passing them all up front (bench/micro/parts.ts measures both).
 */
function endSpan(deps: SpanObserverDeps, started: Span | undefined, record: RequestRecord, errorType: string | undefined): void {
  let span = started;
  if (span === undefined) {
    const attributes = requestAttributes(record);
    span = deps.tracer().startSpan(spanName(record), { kind: SpanKind.CLIENT, startTime: record.startTime, attributes }, record.parentContext);
  } else {
    span.updateName(spanName(record));
    span.setAttributes(requestAttributes(record));
  }
  setResponseAttributes(span, record, errorType);
  setBodyAttributes(span, record);
  const error = record.error;
  if (errorType !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage(record, error) });
  }
  const responseHook = deps.responseHook();
  if (responseHook !== undefined) {
    try {
      responseHook(span, {
        provider: record.target.provider,
        operation: record.target.operation,
        method: record.method,
        url: record.target.url,
        statusCode: record.statusCode,
        model: record.model,
        error: error instanceof Error ? error : undefined,
      });
    } catch (hookError) {
      deps.diag.error('responseHook threw; the span is kept without its changes', hookError);
    }
  }
  span.end(record.endTime);
}

/** HTTP errors speak for themselves through the status code; transport errors get their message. */
function statusMessage(record: RequestRecord, error: unknown): string | undefined {
  if (record.statusCode >= 400 || !(error instanceof Error)) return undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  return message.length > 256 ? message.slice(0, 256) : message || undefined;
}
