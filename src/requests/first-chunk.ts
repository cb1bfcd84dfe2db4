import type { RequestRecord } from '../internal-types.ts';
import { FIELD } from '../openai/headers.ts';

/**
 * Seconds from the request's start to the first data event of a streamed (SSE) response (the
 * keep-alive comments a queued request gets do not count), where the runtime reports body
 * chunks; undefined otherwise (a JSON body's first chunk says nothing a user waits on: it comes
 * with the rest).
 */
export function timeToFirstChunk(record: RequestRecord): number | undefined {
  const first = record.firstChunkTime;
  if (first === undefined || record.headers === undefined || record.headers[FIELD.bodyKind] !== 'sse') return undefined;
  const seconds = (first - record.startTime) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
