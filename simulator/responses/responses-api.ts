import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../internal-types.ts';
import { completionTokens, created, type Generation } from './generation.ts';

/** One server-sent event of a Responses API stream: its `event:` name and its JSON `data:`. */
export interface NamedEvent {
  type: string;
  data: string;
}

/** Responses API ids: a prefix, `_`, and 48 hex digits (`resp_…`, `msg_…`, `rs_…`). */
function responseId(prefix: string): string {
  return `${prefix}_${(randomUUID() + randomUUID()).replaceAll('-', '').slice(0, 48)}`;
}

/** Builds the `response` objects of one answer, in their stages, with fixed ids. */
class ResponseBuilder {
  readonly id = responseId('resp');
  readonly messageId = responseId('msg');
  readonly reasoningId = responseId('rs');
  readonly createdAt = created();
  readonly #generation: Generation;
  readonly #request: JsonObject;

  constructor(generation: Generation, request: JsonObject) {
    this.#generation = generation;
    this.#request = request;
  }

  get text(): string {
    return this.#generation.pieces.join('');
  }

  /** `completed`, or `incomplete` when `max_output_tokens` cut the answer short. */
  get finalStatus(): 'completed' | 'incomplete' {
    return this.#generation.finishReason === 'length' ? 'incomplete' : 'completed';
  }

  message(status: 'in_progress' | 'completed' | 'incomplete', text: string | undefined): JsonObject {
    const content = text === undefined ? [] : [{ type: 'output_text', annotations: [], logprobs: [], text }];
    return { id: this.messageId, type: 'message', status, content, role: 'assistant' };
  }

  /** The whole `response` object; `usage` and `output` only once it is done. */
  response(status: 'in_progress' | 'completed' | 'incomplete'): JsonObject {
    const done = status !== 'in_progress';
    const { model, promptTokens, cachedTokens, reasoningTokens } = this.#generation;
    const output: JsonObject[] = [];
    if (done && reasoningTokens > 0) output.push({ id: this.reasoningId, type: 'reasoning', summary: [] });
    if (done) output.push(this.message(status, this.text));
    const outputTokens = completionTokens(this.#generation);
    const request = this.#request;
    return {
      id: this.id,
      object: 'response',
      created_at: this.createdAt,
      status,
      background: false,
      error: null,
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      instructions: typeof request['instructions'] === 'string' ? request['instructions'] : null,
      max_output_tokens: typeof request['max_output_tokens'] === 'number' ? request['max_output_tokens'] : null,
      model,
      output,
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: reasoningTokens > 0 ? 'medium' : null, summary: null },
      service_tier: 'default',
      store: request['store'] !== false,
      temperature: 1.0,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: 1.0,
      truncation: 'disabled',
      usage: done
        ? {
            input_tokens: promptTokens,
            input_tokens_details: { cached_tokens: cachedTokens },
            output_tokens: outputTokens,
            output_tokens_details: { reasoning_tokens: reasoningTokens },
            total_tokens: promptTokens + outputTokens,
          }
        : null,
      user: null,
      metadata: {},
    };
  }
}

/** A non-streamed `response` object, as JSON text. */
export function responseObject(generation: Generation, request: JsonObject): string {
  const builder = new ResponseBuilder(generation, request);
  return JSON.stringify(builder.response(builder.finalStatus));
}

/**
 * The events of a streamed response, in OpenAI's order: `response.created`,
 * `response.in_progress`, (o-series: the reasoning item added and done), the message item and
 * its text part added, one `response.output_text.delta` per token, the text, part and item
 * done, then `response.completed` (or `response.incomplete` when `max_output_tokens` cut it)
 * with the whole response and its usage. Each event's data repeats its type and carries a
 * `sequence_number`; Responses API streams end without `[DONE]`.
 */
export function responseEvents(generation: Generation, request: JsonObject): NamedEvent[] {
  const builder = new ResponseBuilder(generation, request);
  const events: NamedEvent[] = [];
  const add = (type: string, fields: JsonObject): void => {
    events.push({ type, data: JSON.stringify({ type, sequence_number: events.length, ...fields }) });
  };
  const final = builder.finalStatus;
  add('response.created', { response: builder.response('in_progress') });
  add('response.in_progress', { response: builder.response('in_progress') });
  let outputIndex = 0;
  if (generation.reasoningTokens > 0) {
    const reasoning = { id: builder.reasoningId, type: 'reasoning', summary: [] };
    add('response.output_item.added', { output_index: outputIndex, item: reasoning });
    add('response.output_item.done', { output_index: outputIndex, item: reasoning });
    outputIndex++;
  }
  const where = { item_id: builder.messageId, output_index: outputIndex, content_index: 0 };
  add('response.output_item.added', { output_index: outputIndex, item: builder.message('in_progress', undefined) });
  add('response.content_part.added', { ...where, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
  for (const delta of generation.pieces) add('response.output_text.delta', { ...where, delta, logprobs: [] });
  add('response.output_text.done', { ...where, text: builder.text, logprobs: [] });
  add('response.content_part.done', { ...where, part: { type: 'output_text', annotations: [], logprobs: [], text: builder.text } });
  add('response.output_item.done', { output_index: outputIndex, item: builder.message(final, builder.text) });
  add(final === 'completed' ? 'response.completed' : 'response.incomplete', { response: builder.response(final) });
  return events;
}
