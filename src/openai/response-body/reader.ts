import { BODY_KIND, CONTENT_CODING, type BodyCoding, type BodyKind } from '../header-parsers.ts';
import { isJsonSpace } from '../json-space.ts';
import { Decoder } from './decoder.ts';
import { BodyFields, isObject } from './fields.ts';
import { MAX_DOCUMENT_BYTES, MAX_STREAM_BYTES, TAIL_BYTES } from './limits.ts';
import { SseSplitter, type SseEventSink } from './sse-splitter.ts';
import type { ResponseBodyFields, ResponseBodyReader, ResponseBodyReaderInit } from './types.ts';

/** What of a body cut at the cap is searched for whole leading members (`id`, `model` come first). */
const HEAD_BYTES = 4 * 1024;
const EMPTY: ResponseBodyFields = Object.freeze({}) as ResponseBodyFields;
const DONE = Buffer.from('[DONE]');

/**
 * A reader for one response body, given its layout and coding as the header step parsed them,
 * or undefined when there is nothing to read in it (a coding we cannot undo, e.g. two codings
 * stacked). `readFields: false` only follows a stream's events (its `[DONE]`, its chunks) for an
 * endpoint whose response shape is not one we know.
 */
export function openResponseBody(kind: BodyKind, coding: BodyCoding, statusCode: number, readFields = true): ResponseBodyReader | undefined {
  if (coding === 'other') return undefined;
  return new BodyReader(kind === 'sse', coding === 'identity' ? undefined : new Decoder(coding), statusCode >= 400, readFields);
}

/** The same from the header strings, parsed by the header table's own parsers. */
export function createResponseBodyReader(init: ResponseBodyReaderInit): ResponseBodyReader | undefined {
  const kind = typeof init.contentType === 'string' ? BODY_KIND.text(init.contentType) : undefined;
  if (kind === undefined) return undefined;
  return openResponseBody(kind, init.contentEncoding === undefined ? 'identity' : CONTENT_CODING.text(init.contentEncoding) ?? 'identity', init.statusCode);
}

/**
 * A JSON body is collected (decoded) up to the cap and parsed once with `JSON.parse`. A stream
 * is split into events; an event's data is parsed only when it can change the result: while the
 * id or the model is still unknown, when its beginning (up to `"choices"`) differs from the last
 * parsed event's (a Responses API event has no `"choices"`: always read), or when a byte search
 * finds a finish reason or a usage in the rest. A chat stream's content deltas cost a few
 * native byte searches each.
 */
class BodyReader implements ResponseBodyReader, SseEventSink {
  streamEnded = false;
  dataEvents = 0;
  private readonly sse: boolean;
  private readonly errorBody: boolean;
  private decoder: Decoder | undefined;
  private fields: BodyFields | undefined;
  private splitter: SseSplitter | undefined;
  /** JSON: the decoded bytes so far, each chunk copied. */
  private parts: Buffer[] = [];
  /** Decoded bytes seen: of the body (JSON) or of the whole stream (SSE). */
  private total = 0;
  /** Past the cap: nothing more is decoded or read (but an uncompressed JSON body's tail window). */
  private capped = false;
  private tail: Buffer | undefined;
  /** The beginning of the last parsed event, up to and with `"choices"`. */
  private head: Buffer | undefined;
  /** The id and the model are known (a success body): events that only repeat them can be skipped. */
  private identified = false;
  private broken = false;
  private finished = false;
  private readonly onDecoded = (buf: Buffer, start: number, end: number): boolean => this.take(buf, start, end);

  constructor(sse: boolean, decoder: Decoder | undefined, errorBody: boolean, readFields: boolean) {
    this.sse = sse;
    this.decoder = decoder;
    this.errorBody = errorBody;
    if (readFields) this.fields = new BodyFields(errorBody);
    if (sse) this.splitter = new SseSplitter(this);
  }

  get heldBytes(): number {
    let held = (this.tail?.length ?? 0) + (this.splitter?.heldBytes ?? 0);
    for (const part of this.parts) held += part.length;
    return held;
  }

  push(chunk: Uint8Array): void {
    if (this.finished || this.broken) return;
    try {
      // The searches use Buffer's native helpers; undici hands Buffers, anything else is viewed as one.
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (this.capped) {
        if (this.tail !== undefined) this.keepTail(buf, 0);
        return;
      }
      if (this.decoder === undefined) this.take(buf, 0, buf.length);
      else if (!this.decoder.write(buf, this.onDecoded)) this.broken = true;
      // Past the cap a compressed body is not decoded further: its tail is out of reach.
      if (this.capped || this.broken) this.release();
    } catch {
      this.broken = true;
      this.release();
    }
  }

  /** Decoded bytes: count them against the cap, then keep or split them. False = stop decoding. */
  private take(buf: Buffer, start: number, end: number): boolean {
    const cap = this.sse ? MAX_STREAM_BYTES : MAX_DOCUMENT_BYTES;
    let stop = end;
    if (this.total + (end - start) > cap) {
      stop = start + (cap - this.total);
      this.capped = true;
      if (!this.sse && this.decoder === undefined) {
        this.tail = Buffer.alloc(0);
        this.keepTail(buf, stop);
      }
    }
    this.total += stop - start;
    if (this.sse) this.splitter!.write(buf, start, stop);
    else if (stop > start) {
      const part = Buffer.allocUnsafe(stop - start);
      buf.copy(part, 0, start, stop);
      this.parts.push(part);
    }
    return !this.capped && !this.broken;
  }

  /** Keeps the last `TAIL_BYTES` of the body seen so far. */
  private keepTail(buf: Buffer, from: number): void {
    const rest = buf.subarray(Math.max(from, buf.length - TAIL_BYTES));
    const tail = this.tail!;
    this.tail = Buffer.concat([tail.subarray(Math.max(0, tail.length + rest.length - TAIL_BYTES)), rest]);
  }

  /** One event's data, from the splitter. */
  event(buf: Buffer, start: number, end: number, whole: boolean): void {
    if (end - start === DONE.length && buf.compare(DONE, 0, DONE.length, start, end) === 0) {
      this.streamEnded = true;
      return;
    }
    this.dataEvents++;
    const fields = this.fields;
    // An event past the per-event cap cannot be parsed: it is left out, the stream goes on.
    if (fields === undefined || this.broken || !whole || !this.mayChange(buf, start, end)) return;
    try {
      fields.add(JSON.parse(buf.toString('utf8', start, end)));
    } catch {
      this.broken = true;
      return;
    }
    this.identified = !this.errorBody && fields.has('responseId') && fields.has('responseModel');
    const choices = buf.indexOf(CHOICES, start);
    this.head = choices < 0 || choices + CHOICES.length > end ? undefined : Buffer.from(buf.subarray(start, choices + CHOICES.length));
  }

  private mayChange(buf: Buffer, start: number, end: number): boolean {
    const head = this.head;
    if (head === undefined || !this.identified) return true;
    const after = start + head.length;
    if (after > end || buf.compare(head, 0, head.length, start, after) !== 0) return true;
    // The loop stops at the event's end (a decoded buffer may hold many events after it).
    return carriesValue(buf, after, end);
  }

  finish(): ResponseBodyFields {
    if (this.finished) return EMPTY;
    this.finished = true;
    try {
      return this.result();
    } catch {
      return EMPTY;
    } finally {
      this.release();
      this.parts = [];
      this.tail = undefined;
      this.fields = undefined;
      this.splitter = undefined;
    }
  }

  private result(): ResponseBodyFields {
    const fields = this.fields;
    if (this.broken || fields === undefined) return EMPTY;
    if (this.sse) {
      // A stream cut mid-event is a broken body; one that stopped at the cap keeps its events.
      return this.splitter!.midEvent && !this.capped ? EMPTY : fields.result();
    }
    if (this.total === 0) return EMPTY;
    const body = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.capped ? HEAD_BYTES : this.total);
    if (!this.capped) {
      fields.add(JSON.parse(body.toString('utf8')));
      return fields.result();
    }
    const tail = this.tail === undefined ? undefined : trailingMembers(this.tail.toString('utf8'));
    fields.add({ ...leadingMembers(body.toString('utf8', 0, HEAD_BYTES)), ...tail });
    return fields.result();
  }

  /** Lets go of the decoder; what was read stays. */
  private release(): void {
    this.decoder?.close();
    this.decoder = undefined;
  }
}

const CHOICES = Buffer.from('"choices"');
const FINISH_REASON = Buffer.from('"finish_reason"');
const USAGE = Buffer.from('"usage"');
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const N = 0x6e;

/** The keys whose value makes an event that begins like the last parsed one worth parsing. */
const KEYS = [FINISH_REASON, USAGE];

/**
 * Whether `buf[from, end)` holds one of `KEYS` with a value that is neither `null` nor `""` (or
 * next to bytes that are not JSON: then only parsing the event can tell). The rest of a chat
 * chunk after `"choices"` is a hundred bytes or so: a loop over them costs less than the setup
 * of the native searches it would take (two per key), and a long one less than parsing it.
 */
function carriesValue(buf: Buffer, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    if (buf[i] !== QUOTE) continue;
    for (const key of KEYS) if (startsWith(buf, i, key) && valueFollows(buf, i + key.length)) return true;
  }
  return false;
}

function startsWith(buf: Buffer, at: number, key: Buffer): boolean {
  for (let k = 0; k < key.length; k++) if (buf[at + k] !== key[k]) return false;
  return true;
}

/** After a key's closing quote: a colon, then a value other than `null` or `""`. */
function valueFollows(buf: Buffer, j: number): boolean {
  while (isJsonSpace(buf[j])) j++;
  const after = buf[j];
  // The same text as a string value, not a key.
  if (after === COMMA || after === CLOSE_OBJECT || after === CLOSE_ARRAY) return false;
  if (after !== COLON) return true;
  j++;
  while (isJsonSpace(buf[j])) j++;
  const c = buf[j];
  return c !== N && !(c === QUOTE && buf[j + 1] === QUOTE);
}

/** Member boundaries tried per cut body, so a body made of many small members costs little. */
const MAX_TRIES = 16;

/**
 * The members of the top-level object that the beginning of a body cut at the cap holds whole:
 * the longest `{...` up to a `,"` that parses once closed. (`,"` never occurs inside a JSON
 * string: its quote would be escaped.)
 */
function leadingMembers(text: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  for (let tries = 0, at = text.indexOf(',"'); at > 0 && tries < MAX_TRIES; tries++, at = text.indexOf(',"', at + 1)) {
    found = tryParse(`${text.slice(0, at)}}`) ?? found;
  }
  return found;
}

/**
 * The members at the end of the top-level object, from the tail window: the first `,"` whose
 * rest parses as an object once opened. Only a member of the top-level object closes exactly
 * there; one nested deeper leaves brackets over.
 */
function trailingMembers(text: string): Record<string, unknown> | undefined {
  let at = text.indexOf(',"');
  for (let tries = 0; at >= 0 && tries < MAX_TRIES; tries++, at = text.indexOf(',"', at + 1)) {
    const doc = tryParse(`{${text.slice(at + 1)}`);
    if (doc !== undefined) return doc;
  }
  return undefined;
}

function tryParse(text: string): Record<string, unknown> | undefined {
  try {
    const doc: unknown = JSON.parse(text);
    return isObject(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}
