import { SpanKind, SpanStatusCode, type DiagLogger, type Span, type Tracer } from '@opentelemetry/api';
import type { RequestRecord } from '../internal-types.ts';
import type { OpenAIHttpInstrumentationConfig } from '../types.ts';
import { requestAttributes, setBodyAttributes, setResponseAttributes, spanName } from './attributes.ts';

/**
 * Starts the span for a record ahead of the response. Only needed when the trace context has
 * to be injected into the request; otherwise the span is built once, complete, at the end.
 */
export function startSpanEarly(tracer: Tracer, record: RequestRecord): Span {
  return tracer.startSpan(
    spanName(record),
    { kind: SpanKind.CLIENT, startTime: record.startTime, attributes: requestAttributes(record) },
    record.parentContext,
  );
}

/**
 * Emits the span of a finished attempt. Building it here, with its start time, name and every
 * attribute known, sets each attribute once and renames nothing (the model may only have been
 * read from the body after the request started).
 *
 * The request attributes go to startSpan, where samplers see them (as with any HTTP client
 * instrumentation); the response attributes follow one by one. The SDK validates and copies
 * startSpan attributes twice (before and after sampling) and later ones once, so this split
 * is cheaper than passing them all up front (bench/micro/parts.ts measures both).
 */
export function finishSpan(
  tracer: Tracer,
  record: RequestRecord,
  endTime: number,
  errorType: string | undefined,
  error: unknown,
  responseHook: OpenAIHttpInstrumentationConfig['responseHook'],
  diag: DiagLogger,
): void {
  let span = record.span;
  if (span === undefined) {
    const attributes = requestAttributes(record);
    span = tracer.startSpan(spanName(record), { kind: SpanKind.CLIENT, startTime: record.startTime, attributes }, record.parentContext);
  } else {
    span.updateName(spanName(record));
    span.setAttributes(requestAttributes(record));
  }
  setResponseAttributes(span, record, errorType);
  setBodyAttributes(span, record);
  if (errorType !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage(record, error) });
  }
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
      diag.error('responseHook threw; the span is kept without its changes', hookError);
    }
  }
  span.end(endTime);
}

/** HTTP errors speak for themselves through the status code; transport errors get their message. */
function statusMessage(record: RequestRecord, error: unknown): string | undefined {
  if (record.statusCode >= 400 || !(error instanceof Error)) return undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  return message.length > 256 ? message.slice(0, 256) : message || undefined;
}
