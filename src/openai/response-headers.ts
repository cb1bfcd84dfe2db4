import { FIELD, FIELD_COUNT, RESPONSE_HEADERS, type OpenAIResponseHeaders, type ResponseHeaderField, type ResponseHeaderRow } from './headers.ts';
import { latin1 } from './bytes.ts';

/**
 * Reads the response-header table's rows out of the headers a client publishes, in either
 * shape undici uses:
 * - HTTP/1: a flat array `[name, value, name, value, ...]` of Buffers (or strings);
 * - HTTP/2 (undici 8, Node 26's global fetch): a plain object of lower-case names, where a
 *   repeated header is an array or already joined with ", ".
 * Only the names in the table (and `date`, the base of a retry-after date) are ever decoded:
 * other headers cost a length lookup.
 */
export function readResponseHeaders(raw: unknown, now?: number): OpenAIResponseHeaders {
  const out = EMPTY.slice();
  const read: Reading = { out, late: undefined, date: undefined };
  if (Array.isArray(raw)) readFlatArray(raw, read);
  else if (raw !== null && typeof raw === 'object') readObject(raw as Record<string, unknown>, read);
  if (read.late !== undefined) fillFromLateRows(read, now);
  return out;
}

type Row = ResponseHeaderRow<ResponseHeaderField>;
type Value = OpenAIResponseHeaders[number];

const ROWS = RESPONSE_HEADERS as readonly Row[];
/** Each row's field index. */
const SLOT = ROWS.map((r) => FIELD[r.field] as number);
const EMPTY: Value[] = Array.from({ length: FIELD_COUNT }, () => undefined);
/** Not a row: only the base a retry-after HTTP date is taken relative to. */
const DATE = ROWS.length;

/**
 * A row is read at once when it is the first for its field and its value stands alone;
 * otherwise (a fallback, or a value relative to `date`) its first usable raw value is kept
 * and settled after every header was seen.
 */
const DEFERRED = ROWS.map((r, i) => r.parser.dated !== undefined || ROWS.findIndex((o) => o.field === r.field) !== i);

interface Reading {
  readonly out: Value[];
  /** Raw values of deferred rows, by row index; allocated only when one appears. */
  late: Array<string | Uint8Array | undefined> | undefined;
  /** Kept as bytes when it came as bytes: only a retry-after date needs it decoded. */
  date: string | Uint8Array | undefined;
}

/** Every name we read, by its id (row index, or DATE). */
const NAMES = [...ROWS.map((r) => r.header), 'date'];
const BY_NAME = new Map<string, number>(NAMES.map((name, id) => [name, id]));

/** Candidates indexed by name length, as lower-case bytes, so a Buffer name is never decoded. */
const BY_LENGTH: Array<Array<{ readonly bytes: Uint8Array; readonly id: number }> | undefined> = [];
for (const [name, id] of BY_NAME) (BY_LENGTH[name.length] ??= []).push({ bytes: Buffer.from(name, 'latin1'), id });

function readFlatArray(raw: readonly unknown[], read: Reading): void {
  const n = raw.length - 1;
  for (let i = 0; i < n; i += 2) {
    const name = raw[i];
    let id: number | undefined;
    if (name instanceof Uint8Array) id = matchBytes(name);
    else if (typeof name === 'string') id = BY_NAME.get(name.toLowerCase());
    if (id === undefined) continue;
    const value = raw[i + 1];
    if (value instanceof Uint8Array || typeof value === 'string') take(id, value, read);
  }
}

function matchBytes(name: Uint8Array): number | undefined {
  const candidates = BY_LENGTH[name.length];
  if (candidates === undefined) return undefined;
  outer: for (let k = 0; k < candidates.length; k++) {
    const { bytes, id } = candidates[k]!;
    // `| 0x20` lower-cases ASCII letters and leaves '-' and digits as they are.
    for (let j = 0; j < bytes.length; j++) {
      if ((name[j]! | 0x20) !== bytes[j]) continue outer;
    }
    return id;
  }
  return undefined;
}

function readObject(raw: Record<string, unknown>, read: Reading): void {
  for (let id = 0; id < NAMES.length; id++) {
    const value = raw[NAMES[id]!];
    if (typeof value === 'string') take(id, value, read);
    else if (Array.isArray(value)) {
      for (const v of value) if (typeof v === 'string') take(id, v, read);
    }
  }
}

/** Keeps the first value that parses for each row; later repeats only fill gaps. */
function take(id: number, value: string | Uint8Array, read: Reading): void {
  if (id === DATE) {
    read.date ??= value;
    return;
  }
  const row = ROWS[id]!;
  if (!DEFERRED[id]) {
    const slot = SLOT[id]!;
    if (read.out[slot] === undefined) read.out[slot] = parse(row, value);
    return;
  }
  const late = (read.late ??= []);
  if (late[id] === undefined && parse(row, value) !== undefined) late[id] = value;
}

function parse(row: Row, value: string | Uint8Array): Value {
  const parser = row.parser as { text(value: string): Value; bytes?(value: Uint8Array): Value };
  if (typeof value === 'string') return parser.text(value);
  return parser.bytes !== undefined ? parser.bytes(value) : parser.text(latin1(value));
}

/** Fallback and date-relative rows, in table order, fill the fields still empty. */
function fillFromLateRows(read: Reading, now: number | undefined): void {
  const late = read.late!;
  const out = read.out;
  for (let id = 0; id < ROWS.length; id++) {
    const value = late[id];
    const slot = SLOT[id]!;
    if (value === undefined || out[slot] !== undefined) continue;
    const row = ROWS[id]!;
    const dated = row.parser.dated as ((value: string, date: string | undefined, now: number) => Value) | undefined;
    if (dated === undefined) {
      out[slot] = parse(row, value);
      continue;
    }
    const date = read.date instanceof Uint8Array ? latin1(read.date) : read.date;
    // The clock is read only here: a retry-after date without a `date` header is rare.
    out[slot] = dated(typeof value === 'string' ? value : latin1(value), date, now ?? Date.now());
  }
}
