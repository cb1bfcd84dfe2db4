import { RESPONSE_BODY_FIELDS, type ResponseBodyFields, type ResponseBodyRow } from '../body-fields.ts';
import { MAX_CHOICES, MAX_VALUE_BYTES } from './limits.ts';

type Json = Record<string, unknown>;
type Scalar = string | number;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A string to keep: not empty, and at most `MAX_VALUE_BYTES` as sent (escaped JSON text). */
function text(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  // An escape is at most 6 bytes per UTF-16 unit, so short strings need no measuring.
  if (v.length * 6 <= MAX_VALUE_BYTES) return v;
  return Buffer.byteLength(JSON.stringify(v)) - 2 <= MAX_VALUE_BYTES ? v : undefined;
}

/** A token count: a non-negative integer JSON numbers can hold exactly. */
function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

/** The first path that holds a value (not absent, not null). */
function at(doc: Json, paths: readonly (readonly string[])[]): unknown {
  for (const path of paths) {
    let v: unknown = doc;
    for (let i = 0; i < path.length && v !== undefined; i++) v = isObject(v) ? v[path[i]!] : undefined;
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** A Responses API status in chat completions' finish-reason vocabulary. */
function responsesFinishReason(status: string, incompleteReason: string | undefined): string {
  if (status === 'completed') return 'stop';
  if (status === 'failed') return 'error';
  if (status !== 'incomplete') return status;
  if (incompleteReason === 'max_output_tokens') return 'length';
  return incompleteReason ?? status;
}

/**
 * What the documents of one body told, field by field, from the body table: one document for a
 * JSON body, one per event for a stream. A later document's value replaces an earlier one (the
 * final usage event, the last finish reason of each choice), except for a `first` row (`id`),
 * which the first document that has one gives.
 */
export class BodyFields {
  private readonly rows: readonly ResponseBodyRow[];
  private readonly values: Array<Scalar | undefined>;
  /** Finish reasons by choice index. */
  private reasons: Array<string | undefined> | undefined;
  private status: string | undefined;
  private incompleteReason: string | undefined;

  /** `errorBody`: the response is an error (status >= 400), so the error rows are read too. */
  constructor(errorBody: boolean) {
    this.rows = errorBody ? ERROR_ROWS : ROWS;
    this.values = new Array<Scalar | undefined>(this.rows.length);
  }

  /** Whether a value for `field` was read. */
  has(field: keyof ResponseBodyFields): boolean {
    return this.values[this.rows.findIndex((r) => r.field === field)] !== undefined;
  }

  /** One parsed document. A Responses API stream event carries the response object under `response`. */
  add(doc: unknown): void {
    if (!isObject(doc)) return;
    this.addObject(doc);
    const response = doc['response'];
    if (isObject(response)) this.addObject(response);
  }

  private addObject(doc: Json): void {
    const { rows, values } = this;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.first && values[i] !== undefined) continue;
      const raw = at(doc, row.paths);
      const value = row.type === 'int' ? count(raw) : text(raw);
      if (value !== undefined) values[i] = value;
    }
    const choices = doc['choices'];
    if (Array.isArray(choices)) {
      for (let position = 0; position < choices.length; position++) {
        const choice = choices[position];
        if (!isObject(choice)) continue;
        // A choice without `index` is numbered by its place in the array.
        const index = choice['index'] === undefined ? position : count(choice['index']);
        const reason = text(choice['finish_reason']);
        if (index !== undefined && index < MAX_CHOICES && reason !== undefined) (this.reasons ??= [])[index] = reason;
      }
    }
    const status = text(doc['status']);
    if (status !== undefined) {
      this.status = status;
      const details = doc['incomplete_details'];
      this.incompleteReason = isObject(details) ? text(details['reason']) : undefined;
    }
  }

  result(): ResponseBodyFields {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < this.rows.length; i++) if (this.values[i] !== undefined) out[this.rows[i]!.field] = this.values[i];
    const reasons = this.reasons?.filter((r): r is string => r !== undefined);
    if (reasons !== undefined && reasons.length > 0) out['finishReasons'] = reasons;
    else if (this.status !== undefined) out['finishReasons'] = [responsesFinishReason(this.status, this.incompleteReason)];
    return out as ResponseBodyFields;
  }
}

/** The rows read by path (`finishReasons` has its own rule above), for success and error bodies. */
const rowsFor = (errorBody: boolean): readonly ResponseBodyRow[] =>
  RESPONSE_BODY_FIELDS.filter((r) => r.type !== 'string[]' && (errorBody || !r.errorOnly));
const ROWS = rowsFor(false);
const ERROR_ROWS = rowsFor(true);
