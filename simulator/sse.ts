import { isGone } from './abort.ts';
import type { BodyWriter } from './body-writer.ts';
import type { SimResponse } from './internal-types.ts';

const DONE = 'data: [DONE]\n\n';
// An SSE comment: parsers skip it, but it carries the headers to the client before an abort at 0 events.
const BEFORE_ABORT = ': simulator abort\n\n';

/** Chat and completions streams: one `data:` event per payload, then `data: [DONE]`. */
export function dataEvents(payloads: readonly string[]): string[] {
  const events = payloads.map((payload) => `data: ${payload}\n\n`);
  events.push(DONE);
  return events;
}

/** Responses API streams: `event: <type>` before each `data:`, and no `[DONE]`. */
export function namedEvents(events: readonly { type: string; data: string }[]): string[] {
  return events.map(({ type, data }) => `event: ${type}\ndata: ${data}\n\n`);
}

const KEEP_ALIVE = ': keep-alive\n\n';
const KEEP_ALIVE_INTERVAL_MS = 50;

/**
 * A queued stream: SSE keep-alive comments (each a comment line and a blank line, which
 * parsers skip) every 50 ms for `queueMs`, then `next` sends the events. A first-byte timer
 * that counts these measures the queue, not the model.
 */
export function keepAliveThen(res: SimResponse, body: BodyWriter, queueMs: number, next: () => void): void {
  if (queueMs <= 0) {
    next();
    return;
  }
  const until = performance.now() + queueMs;
  const tick = (): void => {
    if (isGone(res)) return;
    body.write(KEEP_ALIVE);
    const left = until - performance.now();
    if (left <= 0) next();
    else setTimeout(tick, Math.min(KEEP_ALIVE_INTERVAL_MS, left));
  };
  tick();
}

/** How a stream ends early: after a number of whole events, or in the middle of one. */
export interface StreamCut {
  /** Whole events sent before the cut. */
  afterEvents: number;
  /** Also send the first half of the next event, so the stream breaks off inside it. */
  midEvent: boolean;
}

/**
 * Sends formatted server-sent events, each flushed to the client on its own, spaced by
 * `delayMs`; `cut` breaks the stream off (connection dropped) instead of ending it.
 * Without a delay everything due goes out in one write: the benchmarks' fast path.
 */
export function sendEvents(res: SimResponse, body: BodyWriter, all: readonly string[], delayMs: number, cut: StreamCut | undefined): void {
  const aborting = cut !== undefined && cut.afterEvents < all.length;
  const events = aborting ? all.slice(0, cut.afterEvents) : [...all];
  if (aborting && cut.midEvent) {
    const next = all[cut.afterEvents] ?? '';
    events.push(next.slice(0, next.length >> 1));
  }
  if (delayMs === 0 || events.length <= 1) {
    const text = events.join('');
    if (aborting) body.writeThenAbort(text === '' ? BEFORE_ABORT : text);
    else body.end(text);
    return;
  }
  let sent = 0;
  const step = (): void => {
    // The client may have gone away between two delayed events.
    if (isGone(res)) return;
    const event = events[sent++] ?? '';
    if (sent < events.length) {
      body.write(event);
      setTimeout(step, delayMs);
    } else if (aborting) body.writeThenAbort(event);
    else body.end(event);
  };
  step();
}
