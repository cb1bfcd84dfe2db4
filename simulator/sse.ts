import { isGone, writeThenAbort } from './abort.ts';
import type { ChunkWriter, SimResponse } from './internal-types.ts';

const DONE = 'data: [DONE]\n\n';
// An SSE comment: parsers skip it, but it carries the headers to the client before an abort at 0 events.
const BEFORE_ABORT = ': simulator abort\n\n';

/**
 * Sends `payloads` as server-sent events, then `data: [DONE]`, as OpenAI streams.
 * `abortAfter` (a number of events, `[DONE]` included) breaks the stream off after that many.
 * Without a delay everything due goes out in one write: the benchmarks' fast path.
 */
export function sendEvents(res: SimResponse, payloads: readonly string[], delayMs: number, abortAfter: number | undefined): void {
  const events = payloads.map((payload) => `data: ${payload}\n\n`);
  events.push(DONE);
  const aborting = abortAfter !== undefined && abortAfter < events.length;
  if (aborting) events.length = abortAfter;
  if (delayMs === 0 || events.length <= 1) {
    const body = events.join('');
    if (aborting) writeThenAbort(res, body === '' ? BEFORE_ABORT : body);
    else res.end(body);
    return;
  }
  let sent = 0;
  const step = (): void => {
    // The client may have gone away between two delayed events.
    if (isGone(res)) return;
    const event = events[sent++] ?? '';
    if (sent < events.length) {
      (res as ChunkWriter).write(event);
      setTimeout(step, delayMs);
    } else if (aborting) writeThenAbort(res, event);
    else res.end(event);
  };
  step();
}
