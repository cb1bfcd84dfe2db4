import type { Attributes } from '@opentelemetry/api';
import { RESPONSE_BODY_FIELDS } from '../../src/openai/body-fields.ts';

type Doc = Record<string, unknown>;

const obj = (v: unknown): Doc | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined);
// A "" counts as absent: no attribute is ever the empty string.
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Only the attributes the response body gives, from a span's attributes. */
export function bodyAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const { attribute } of RESPONSE_BODY_FIELDS) if (attributes[attribute] !== undefined) out[attribute] = attributes[attribute];
  return out;
}

function put(out: Attributes, key: string, value: string | number | string[] | undefined): void {
  if (value !== undefined) out[key] = value;
}

/**
 * What a chat completions / completions / embeddings body should give, worked out the obvious
 * way from the whole documents the client parsed (one for a JSON body, one per event for a
 * stream): the first id, the last model / tier / fingerprint / usage, the last finish reason
 * per choice index.
 */
export function expectedFromDocuments(docs: readonly unknown[]): Attributes {
  const out: Attributes = {};
  const reasons: string[] = [];
  let id: string | undefined;
  let model: string | undefined;
  let tier: string | undefined;
  let fingerprint: string | undefined;
  let usage: Doc | undefined;
  for (const raw of docs) {
    const d = obj(raw) ?? {};
    id ??= str(d['id']);
    model = str(d['model']) ?? model;
    tier = str(d['service_tier']) ?? tier;
    fingerprint = str(d['system_fingerprint']) ?? fingerprint;
    usage = obj(d['usage']) ?? usage;
    const choices = Array.isArray(d['choices']) ? d['choices'] : [];
    choices.forEach((c, position) => {
      const choice = obj(c) ?? {};
      const reason = str(choice['finish_reason']);
      if (reason !== undefined) reasons[num(choice['index']) ?? position] = reason;
    });
  }
  put(out, 'gen_ai.response.id', id);
  put(out, 'gen_ai.response.model', model);
  const finish = reasons.filter((r) => r !== undefined);
  if (finish.length > 0) out['gen_ai.response.finish_reasons'] = finish;
  put(out, 'gen_ai.usage.input_tokens', num(usage?.['prompt_tokens']));
  put(out, 'gen_ai.usage.output_tokens', num(usage?.['completion_tokens']));
  put(out, 'gen_ai.usage.cache_read.input_tokens', num(obj(usage?.['prompt_tokens_details'])?.['cached_tokens']));
  put(out, 'gen_ai.usage.reasoning.output_tokens', num(obj(usage?.['completion_tokens_details'])?.['reasoning_tokens']));
  put(out, 'openai.response.service_tier', tier);
  put(out, 'openai.response.system_fingerprint', fingerprint);
  return out;
}

/** What a Responses API response object (the body, or a stream's final `response`) should give. */
export function expectedFromResponse(raw: unknown): Attributes {
  const r = obj(raw) ?? {};
  const out: Attributes = {};
  const usage = obj(r['usage']);
  put(out, 'gen_ai.response.id', str(r['id']));
  put(out, 'gen_ai.response.model', str(r['model']));
  const status = str(r['status']);
  if (status !== undefined) {
    const reason = str(obj(r['incomplete_details'])?.['reason']);
    const finish =
      status === 'completed' ? 'stop' : status === 'failed' ? 'error' : status !== 'incomplete' ? status : reason === 'max_output_tokens' ? 'length' : (reason ?? status);
    out['gen_ai.response.finish_reasons'] = [finish];
  }
  put(out, 'gen_ai.usage.input_tokens', num(usage?.['input_tokens']));
  put(out, 'gen_ai.usage.output_tokens', num(usage?.['output_tokens']));
  put(out, 'gen_ai.usage.cache_read.input_tokens', num(obj(usage?.['input_tokens_details'])?.['cached_tokens']));
  put(out, 'gen_ai.usage.reasoning.output_tokens', num(obj(usage?.['output_tokens_details'])?.['reasoning_tokens']));
  put(out, 'openai.response.service_tier', str(r['service_tier']));
  put(out, 'openai.response.system_fingerprint', str(r['system_fingerprint']));
  return out;
}

/** The error body's code and type, as the span should carry them. */
export function expectedFromError(raw: unknown): Attributes {
  const error = obj(obj(raw)?.['error']) ?? {};
  const out: Attributes = {};
  put(out, 'openai.error.code', str(error['code']));
  put(out, 'openai.error.type', str(error['type']));
  return out;
}
