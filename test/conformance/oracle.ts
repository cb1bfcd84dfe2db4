import type { AttributeValue } from '@opentelemetry/api';
import type { Exchange } from './normalise.ts';
import { readmeAttributeTable, type AttributeRow } from './readme-table.ts';
import { sseEvents } from './replay-server.ts';

/**
 * The span a recorded exchange should give, worked out from the recording and the README's
 * attribute table alone: what the README promises, applied to what the live API sent. Nothing
 * here comes from `src/`, so a bug there cannot hide by being copied into the expectation.
 */
export interface Expectation {
  readonly name: string;
  readonly error: boolean;
  /** Every attribute of the README table: its value, or undefined where it must be absent. */
  readonly attributes: Readonly<Record<string, AttributeValue | undefined>>;
  /** A streamed response read where the body is readable: time to first chunk must be a duration. */
  readonly timeToFirstChunk: boolean;
}

export interface ReplayContext {
  readonly origin: string;
  readonly port: number;
  /** The provider name the test configured for this service's endpoint. */
  readonly provider: string;
  /** Whether the runtime lets the instrumentation read the request body (the model). */
  readonly requestBodyReadable: boolean;
  /** Whether the runtime hands over response body chunks (the body attributes). */
  readonly responseBodyReadable: boolean;
}

type Doc = Record<string, unknown>;
const obj = (v: unknown): Doc | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined);
/** "No attribute is ever the empty string: a value the body gives as "" counts as absent." */
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

const ROWS = readmeAttributeTable();
const ATTRIBUTES = ROWS.flatMap((r) => r.names);

/** What each README row's type and wording say a header value becomes. */
function headerValue(row: AttributeRow, header: string, raw: string, date: string | undefined): AttributeValue | undefined {
  const v = raw.trim();
  if (row.type === 'string') return v === '' ? undefined : v;
  // "An absent or unparseable header leaves its attribute out"; counts are digits (Azure's -1 is
  // out), and the table says where a 0 is left out too (a quota limit).
  if (row.type === 'int') return /^\d+$/.test(v) && !(Number(v) === 0 && /`0` is left out/.test(row.from)) ? Number(v) : undefined;
  // The requests reset row names the Go duration format; the tokens one says "the same format".
  if (/Go duration|the same format/.test(row.from)) return goDurationSeconds(v);
  if (header.endsWith('-ms')) return /^\d+(\.\d+)?$/.test(v) ? Number(v) / 1000 : undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const at = Date.parse(v);
  const now = date === undefined ? Number.NaN : Date.parse(date);
  return Number.isFinite(at) && Number.isFinite(now) ? Math.max(0, (at - now) / 1000) : undefined;
}

/** Go's time.Duration text (`6ms`, `1m26.4s`, `2h0m0s`, or `0`), in seconds; anything else undefined. */
export function goDurationSeconds(v: string): number | undefined {
  if (v === '0') return 0;
  if (!/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(v)) return undefined;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let seconds = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) seconds += Number(m[1]) * unit[m[2]!]!;
  return Math.round(seconds * 1e9) / 1e9;
}

function headerAttributes(exchange: Exchange): Record<string, AttributeValue | undefined> {
  const out: Record<string, AttributeValue | undefined> = {};
  // Repeated values may come joined (`"500, 400"`); an HTTP date has a comma of its own.
  const values = (name: string): string[] =>
    exchange.response.headers.filter(([n]) => n.toLowerCase() === name).flatMap(([, v]) => (name === 'retry-after' || name === 'date' ? [v] : v.split(',')));
  const date = values('date')[0];
  for (const row of ROWS) {
    if (row.headers.length === 0) continue;
    // "the first value that parses is used", and the README's order among headers ("else").
    let value: AttributeValue | undefined;
    for (const header of row.headers) {
      for (const raw of values(header)) if ((value = headerValue(row, header, raw, date)) !== undefined) break;
      if (value !== undefined) break;
    }
    for (const name of row.names) out[name] = value;
  }
  return out;
}

const OPERATIONS: readonly (readonly [string, string, string])[] = [
  ['/chat/completions', 'chat', 'chat_completions'],
  ['/completions', 'text_completion', 'completions'],
  ['/embeddings', 'embeddings', 'embeddings'],
  ['/responses', 'chat', 'responses'],
];

function requestModel(exchange: Exchange): string | undefined {
  try {
    return str(obj(JSON.parse(exchange.request.body))?.['model']);
  } catch {
    return undefined;
  }
}

/** The documents of a body: the JSON document, or each `data:` event of a stream but [DONE]. */
function documents(exchange: Exchange): unknown[] {
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  if (!exchange.kind.endsWith('.stream')) return [parse(exchange.response.body)];
  return sseEvents(exchange.response.body)
    .map((event) =>
      event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n'),
    )
    .filter((data) => data !== '' && data !== '[DONE]')
    .map(parse);
}

/** Responses API: the response object, whole or as the stream's events carry it. */
function responsesFinish(response: Doc): string | undefined {
  const status = str(response['status']);
  if (status === undefined) return undefined;
  if (status === 'completed') return 'stop';
  if (status === 'failed') return 'error';
  if (status !== 'incomplete') return status;
  const reason = str(obj(response['incomplete_details'])?.['reason']);
  return reason === 'max_output_tokens' ? 'length' : (reason ?? status);
}

function bodyAttributes(exchange: Exchange): Record<string, AttributeValue | undefined> {
  const docs = documents(exchange).map((d) => obj(d) ?? {});
  const out: Record<string, AttributeValue | undefined> = {};
  if (exchange.response.status >= 400) {
    const error = obj(docs[0]?.['error']);
    out['openai.error.code'] = str(error?.['code']);
    out['openai.error.type'] = str(error?.['type']);
    return out;
  }
  const responses = exchange.kind.startsWith('responses');
  // A Responses stream carries the response object in its lifecycle events.
  const objects = responses ? docs.map((d) => (exchange.kind.endsWith('.stream') ? obj(d['response']) : d)).filter((d): d is Doc => d !== undefined) : docs;
  let id: string | undefined;
  let model: string | undefined;
  let tier: string | undefined;
  let fingerprint: string | undefined;
  let usage: Doc | undefined;
  let finish: string | undefined;
  const reasons: (string | undefined)[] = [];
  for (const d of objects) {
    // "a stream's first event that has one" (non-empty) gives the id; later values win for the rest.
    id ??= str(d['id']);
    model = str(d['model']) ?? model;
    tier = str(d['service_tier']) ?? tier;
    fingerprint = str(d['system_fingerprint']) ?? fingerprint;
    usage = obj(d['usage']) ?? usage;
    if (responses) finish = responsesFinish(d) ?? finish;
    const choices = Array.isArray(d['choices']) ? d['choices'] : [];
    choices.forEach((c, position) => {
      const choice = obj(c) ?? {};
      const reason = str(choice['finish_reason']);
      if (reason !== undefined) reasons[int(choice['index']) ?? position] = reason;
    });
  }
  out['gen_ai.response.id'] = id;
  out['gen_ai.response.model'] = model;
  const finishReasons = responses ? (finish === undefined ? [] : [finish]) : reasons.filter((r): r is string => r !== undefined);
  out['gen_ai.response.finish_reasons'] = finishReasons.length > 0 ? finishReasons : undefined;
  const [input, output, inDetails, outDetails] = responses
    ? ['input_tokens', 'output_tokens', 'input_tokens_details', 'output_tokens_details']
    : ['prompt_tokens', 'completion_tokens', 'prompt_tokens_details', 'completion_tokens_details'];
  out['gen_ai.usage.input_tokens'] = int(usage?.[input]);
  out['gen_ai.usage.output_tokens'] = exchange.kind === 'embeddings' ? undefined : int(usage?.[output]);
  out['gen_ai.usage.cache_read.input_tokens'] = int(obj(usage?.[inDetails])?.['cached_tokens']);
  out['gen_ai.usage.reasoning.output_tokens'] = int(obj(usage?.[outDetails])?.['reasoning_tokens']);
  out['openai.response.service_tier'] = tier;
  out['openai.response.system_fingerprint'] = fingerprint;
  return out;
}

export function expectedSpan(exchange: Exchange, ctx: ReplayContext): Expectation {
  const path = exchange.request.path.split('?')[0]!;
  const [, operation, apiType] = OPERATIONS.find(([suffix]) => path.endsWith(suffix))!;
  const model = ctx.requestBodyReadable ? requestModel(exchange) : undefined;
  const status = exchange.response.status;
  const attributes: Record<string, AttributeValue | undefined> = Object.fromEntries(ATTRIBUTES.map((a) => [a, undefined]));
  Object.assign(attributes, headerAttributes(exchange), {
    'gen_ai.provider.name': ctx.provider,
    'gen_ai.operation.name': operation,
    'gen_ai.request.model': model,
    'server.address': '127.0.0.1',
    'server.port': ctx.port,
    'http.request.method': exchange.request.method,
    'url.full': `${ctx.origin}${exchange.request.path}`,
    'http.response.status_code': status,
    'error.type': status >= 400 ? String(status) : undefined,
    'openai.api.type': apiType,
  });
  if (ctx.responseBodyReadable) Object.assign(attributes, bodyAttributes(exchange));
  const stream = exchange.kind.endsWith('.stream');
  delete attributes['gen_ai.response.time_to_first_chunk'];
  return {
    name: model === undefined ? operation : `${operation} ${model}`,
    error: status >= 400,
    attributes,
    timeToFirstChunk: stream && ctx.responseBodyReadable,
  };
}

/** Every attribute the README table names (the keys an expectation covers). */
export const README_ATTRIBUTES: readonly string[] = ATTRIBUTES;
