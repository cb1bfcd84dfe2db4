import type { RequestRecord, SourceState } from '../internal-types.ts';
import { FIELD, headerValue } from '../openai/headers.ts';
import { openResponseBody, type ResponseBodyFields, type ResponseBodyReader } from '../openai/response-body/index.ts';

/**
 * What only the undici source keeps per request, beside the lifecycle record: how much of the
 * request body it searched for the model, and the response body's reader, made on the first
 * body chunk (a runtime that never publishes body chunks never pays for one).
 */
export class UndiciState implements SourceState {
  /** Request body bytes already searched for the model; bounded so huge bodies cost nothing more. */
  modelBytesScanned = 0;
  /** Saw `data: [DONE]` in a streamed body: a later cancel is not an error. */
  streamDone = false;
  private reader: ResponseBodyReader | undefined;
  /** Data events of a stream the reader had ended by the last chunk. */
  private dataEvents = 0;
  /** False once a reader was made for this response, or found not worth making. */
  private readable = true;

  /**
   * A body chunk of the final response, as it came off the wire. Returns how many data events
   * (chunks) of a stream it ended.
   */
  push(record: RequestRecord, chunk: Uint8Array): number {
    if (this.readable) {
      this.readable = false;
      this.reader = readerFor(record);
    }
    const reader = this.reader;
    if (reader === undefined) return 0;
    reader.push(chunk);
    if (reader.streamEnded) this.streamDone = true;
    const ended = reader.dataEvents - this.dataEvents;
    this.dataEvents = reader.dataEvents;
    return ended;
  }

  /** Whether a reader is still held (tests check that none outlives its request). */
  get reading(): boolean {
    return this.reader !== undefined;
  }

  finish(): ResponseBodyFields | undefined {
    const reader = this.reader;
    this.readable = false;
    if (reader === undefined) return undefined;
    this.reader = undefined;
    return reader.finish();
  }
}

/**
 * The body reader for a response, or undefined when the body has nothing to tell (not JSON or
 * SSE). A success from an endpoint whose response shape is not one we know (a `/models` listing
 * has a top-level `id` that is not a response id) is read for its stream events only (`[DONE]`,
 * chunks), never for fields. Error bodies are read on every matched endpoint: their
 * `error.code` means the same everywhere.
 */
function readerFor(record: RequestRecord): ResponseBodyReader | undefined {
  const headers = record.headers;
  if (headers === undefined) return undefined;
  const kind = headerValue(headers, FIELD.bodyKind);
  if (kind === undefined) return undefined;
  const known = record.target.apiType !== undefined || record.statusCode >= 400;
  if (!known && kind !== 'sse') return undefined;
  return openResponseBody(kind, headerValue(headers, FIELD.contentEncoding) ?? 'identity', record.statusCode, known);
}
