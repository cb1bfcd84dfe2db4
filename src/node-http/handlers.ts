import type { RequestRecord, SourceDeps } from '../internal-types.ts';
import { readResponseHeaders } from '../openai/response-headers.ts';
import { RETRY_COUNT_HEADER, parseRetryCount } from '../openai/retry-count.ts';
import type { RequestTracker } from '../requests/tracker.ts';
import { requestTarget, type ClientRequestLike } from './target.ts';

/** The slice of a `http.IncomingMessage` we read. */
interface IncomingMessageLike {
  readonly statusCode?: unknown;
  readonly rawHeaders?: unknown;
  readonly headers?: unknown;
  readonly complete?: unknown;
  readonly errored?: unknown;
  once?(event: 'close', listener: () => void): unknown;
}

/**
 * One method per `node:http` client channel, feeding the same record -> span / metrics path as
 * the undici handlers. Requests are correlated by the `ClientRequest` object in a WeakMap and
 * dropped on their last event. Node publishes nothing when a response body ends, so the span's
 * end comes from the response's `close` event (after its body was read or it was destroyed):
 * a listener that observes only, never reads, never handles errors in the app's place.
 */
export class NodeHttpHandlers {
  private readonly tracker: RequestTracker;
  private readonly deps: SourceDeps;

  constructor(tracker: RequestTracker, deps: SourceDeps) {
    this.tracker = tracker;
    this.deps = deps;
  }

  /** `http.client.request.created`: match, then open a record (and inject trace context if asked). */
  onCreated = (message: unknown): void => {
    const request = (message as { request?: ClientRequestLike } | null)?.request;
    if (request === undefined || request === null || typeof request !== 'object') return;
    const where = requestTarget(request);
    if (where === undefined) return;
    const target = this.deps.matcher().match(where.origin, where.path);
    if (target === undefined) return;
    // A WebSocket handshake (`ws`, Realtime API) ends in `upgrade`, not in a response: not a call we model.
    if (header(request, 'upgrade') !== undefined) return;
    const inject =
      this.deps.propagateTraceContext() && request.headersSent === false && typeof request.setHeader === 'function' && header(request, 'traceparent') === undefined
        ? (name: string, value: string) => request.setHeader!(name, value)
        : undefined;
    this.tracker.open(request, { target, method: request.method, resendCount: parseRetryCount(header(request, RETRY_COUNT_HEADER)), inject });
  };

  /** `http.client.response.finish`: the final status and headers; the body is still to come. */
  onResponseFinish = (message: unknown): void => {
    const { request, response } = (message ?? {}) as { request?: object; response?: IncomingMessageLike | null };
    if (request === undefined || request === null || response === undefined || response === null || typeof response !== 'object') return;
    const record = this.tracker.get(request);
    if (record === undefined) return;
    const status = response.statusCode;
    if (typeof status !== 'number' || status < 200) return;
    // `rawHeaders` keeps repeated headers apart; `headers` is the fallback shape.
    this.tracker.respond(record, status, readResponseHeaders(Array.isArray(response.rawHeaders) ? response.rawHeaders : response.headers));
    if (typeof response.once !== 'function') {
      this.tracker.end(request, record, undefined);
      return;
    }
    response.once('close', () => {
      // An event listener, outside the channel guard: nothing may escape into the app.
      try {
        this.onResponseClose(request, record, response);
      } catch (error) {
        this.deps.diag.error('node:http response close handler failed; the response is unaffected', error);
      }
    });
  };

  /** `http.client.request.error`: failed before or instead of a response. */
  onError = (message: unknown): void => {
    const { request, error } = (message ?? {}) as { request?: object; error?: unknown };
    const record = this.tracker.get(request);
    if (record === undefined) return;
    this.tracker.end(request, record, error ?? new Error('request failed'));
  };

  /** The response was read to its end, or destroyed before that (aborted, reset). */
  private onResponseClose(request: object, record: RequestRecord, response: IncomingMessageLike): void {
    if (record.ended) return;
    if (response.complete === true) {
      this.tracker.end(request, record, undefined);
      return;
    }
    const errored = response.errored;
    this.tracker.end(request, record, errored instanceof Error ? errored : bodyAborted());
  }
}

function header(request: ClientRequestLike, name: string): string | undefined {
  if (typeof request.getHeader !== 'function') return undefined;
  const value = request.getHeader(name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The app destroyed the response before its body was complete: an abort, as fetch would say. */
function bodyAborted(): Error {
  const error = new Error('response body destroyed before it was complete');
  error.name = 'AbortError';
  return error;
}
