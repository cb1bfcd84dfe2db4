/**
 * Real-looking OpenAI response bodies (shapes as the API sends them), with the fields each must
 * give. Shared by the unit tests, the property tests and the micro bench.
 */
import type { ResponseBodyFields } from '../../../../src/openai/response-body/index.ts';

export interface BodyCase {
  readonly name: string;
  readonly contentType: string;
  readonly status: number;
  readonly body: string;
  readonly fields: ResponseBodyFields;
}

const j = (v: unknown): string => JSON.stringify(v);

export const chatCompletion = j({
  id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Hello! How can I assist you today? Here is a "model" and an "id": {"model":"x"} ☃ 😀',
        refusal: null,
        annotations: [],
      },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 19,
    completion_tokens: 10,
    total_tokens: 29,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_06737a9306',
});

export const chatToolCall = j({
  id: 'chatcmpl-tool1',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 1,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"model":"nope","id":"nope","location":"Paris"}' } }],
      },
      finish_reason: 'tool_calls',
    },
    { index: 0, message: { role: 'assistant', content: 'x', model: 'nested', id: 'nested' }, finish_reason: 'length' },
  ],
  usage: {
    prompt_tokens: 1200,
    completion_tokens: 300,
    total_tokens: 1500,
    prompt_tokens_details: { cached_tokens: 1024 },
    completion_tokens_details: { reasoning_tokens: 256 },
  },
  metadata: { model: 'nested', id: 'nested', usage: { prompt_tokens: 999 } },
  service_tier: 'flex',
  system_fingerprint: null,
});

export const completion = j({
  id: 'cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7',
  object: 'text_completion',
  created: 1589478378,
  model: 'gpt-3.5-turbo-instruct',
  system_fingerprint: 'fp_44709d6fcb',
  choices: [{ text: '\n\nThis is indeed a test', index: 0, logprobs: null, finish_reason: 'length' }],
  usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
});

export function embeddings(vectors: number, dims: number): string {
  const data = [];
  for (let i = 0; i < vectors; i++) {
    const embedding = [];
    for (let d = 0; d < dims; d++) embedding.push(Math.sin(i * 31 + d) / 10);
    data.push({ object: 'embedding', index: i, embedding });
  }
  return j({ object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 8 * vectors, total_tokens: 8 * vectors } });
}

const responseObject = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: 'gpt-4.1-2025-04-14',
  output: [
    {
      type: 'message',
      id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'In a peaceful grove beneath a silver moon...', annotations: [] }],
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  service_tier: 'default',
  store: true,
  temperature: 1.0,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: 1.0,
  truncation: 'disabled',
  usage: { input_tokens: 36, input_tokens_details: { cached_tokens: 0 }, output_tokens: 87, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 123 },
  user: null,
  metadata: { model: 'nested' },
};
export const responsesApi = j(responseObject);

export const responsesIncomplete = j({
  ...responseObject,
  status: 'incomplete',
  incomplete_details: { reason: 'max_output_tokens' },
  usage: { input_tokens: 36, input_tokens_details: { cached_tokens: 32 }, output_tokens: 16, output_tokens_details: { reasoning_tokens: 16 }, total_tokens: 52 },
});

export const insufficientQuota = j({
  error: {
    message: 'You exceeded your current quota, please check your plan and billing details.',
    type: 'insufficient_quota',
    param: null,
    code: 'insufficient_quota',
  },
});

export const rateLimited = j({
  error: { message: 'Rate limit reached for gpt-4o-mini', type: 'requests', param: null, code: 'rate_limit_exceeded' },
});

/** A streamed chat completion of `n` content chunks, a finish chunk and (optionally) the usage chunk. */
export function chatStream(n: number, withUsage: boolean, eol = '\n'): string {
  const base = { id: 'chatcmpl-stream1', object: 'chat.completion.chunk', created: 1741569952, model: 'gpt-4o-mini-2024-07-18', service_tier: 'default', system_fingerprint: 'fp_06737a9306' };
  const events: string[] = [];
  const usage = withUsage ? { usage: null } : {};
  events.push(j({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...usage }));
  for (let i = 0; i < n; i++) {
    events.push(j({ ...base, choices: [{ index: 0, delta: { content: ` tok${i} é` }, logprobs: null, finish_reason: null }], ...usage }));
  }
  events.push(j({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], ...usage }));
  if (withUsage) {
    events.push(
      j({
        ...base,
        choices: [],
        usage: { prompt_tokens: 17, completion_tokens: n, total_tokens: 17 + n, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
      }),
    );
  }
  return events.map((e) => `data: ${e}${eol}${eol}`).join('') + `data: [DONE]${eol}${eol}`;
}

export function responsesStream(): string {
  const inProgress = { ...responseObject, status: 'in_progress', output: [], usage: null };
  const ev = (type: string, data: object): string => `event: ${type}\ndata: ${j({ type, ...data })}\n\n`;
  return (
    ev('response.created', { sequence_number: 0, response: inProgress }) +
    ev('response.in_progress', { sequence_number: 1, response: inProgress }) +
    ev('response.output_item.added', { sequence_number: 2, output_index: 0, item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] } }) +
    ev('response.output_text.delta', { sequence_number: 3, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'In a "model": peaceful' }) +
    ': keep-alive comment\n' +
    'retry: 1000\nid: 7\nfoo: unknown field\n\n' +
    ev('response.output_text.done', { sequence_number: 4, item_id: 'msg_1', output_index: 0, content_index: 0, text: 'In a peaceful' }) +
    ev('response.completed', { sequence_number: 5, response: responseObject })
  );
}

const chatFields: ResponseBodyFields = {
  responseId: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
  responseModel: 'gpt-4o-mini-2024-07-18',
  finishReasons: ['stop'],
  inputTokens: 19,
  outputTokens: 10,
  cachedInputTokens: 0,
  reasoningOutputTokens: 0,
  serviceTier: 'default',
  systemFingerprint: 'fp_06737a9306',
};

const JSON_TYPE = 'application/json';
const SSE_TYPE = 'text/event-stream; charset=utf-8';

export const CASES: readonly BodyCase[] = [
  { name: 'a chat completion', contentType: JSON_TYPE, status: 200, body: chatCompletion, fields: chatFields },
  {
    name: 'a chat completion with tool calls, two choices and nested model/id keys',
    contentType: JSON_TYPE,
    status: 200,
    body: chatToolCall,
    fields: {
      responseId: 'chatcmpl-tool1',
      responseModel: 'gpt-4.1-2025-04-14',
      finishReasons: ['length', 'tool_calls'],
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 1024,
      reasoningOutputTokens: 256,
      serviceTier: 'flex',
    },
  },
  {
    name: 'a completion',
    contentType: JSON_TYPE,
    status: 200,
    body: completion,
    fields: { responseId: 'cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7', responseModel: 'gpt-3.5-turbo-instruct', finishReasons: ['length'], inputTokens: 5, outputTokens: 7, systemFingerprint: 'fp_44709d6fcb' },
  },
  { name: 'an embeddings response', contentType: JSON_TYPE, status: 200, body: embeddings(3, 64), fields: { responseModel: 'text-embedding-3-small', inputTokens: 24 } },
  {
    name: 'a Responses API response',
    contentType: JSON_TYPE,
    status: 200,
    body: responsesApi,
    fields: {
      responseId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      responseModel: 'gpt-4.1-2025-04-14',
      finishReasons: ['stop'],
      inputTokens: 36,
      outputTokens: 87,
      cachedInputTokens: 0,
      reasoningOutputTokens: 0,
      serviceTier: 'default',
    },
  },
  {
    name: 'an incomplete Responses API response',
    contentType: JSON_TYPE,
    status: 200,
    body: responsesIncomplete,
    fields: {
      responseId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      responseModel: 'gpt-4.1-2025-04-14',
      finishReasons: ['length'],
      inputTokens: 36,
      outputTokens: 16,
      cachedInputTokens: 32,
      reasoningOutputTokens: 16,
      serviceTier: 'default',
    },
  },
  { name: 'an insufficient_quota 429', contentType: JSON_TYPE, status: 429, body: insufficientQuota, fields: { errorCode: 'insufficient_quota', errorType: 'insufficient_quota' } },
  { name: 'a rate-limit 429', contentType: JSON_TYPE, status: 429, body: rateLimited, fields: { errorCode: 'rate_limit_exceeded', errorType: 'requests' } },
  {
    name: 'a streamed chat completion with usage',
    contentType: SSE_TYPE,
    status: 200,
    body: chatStream(30, true),
    fields: {
      responseId: 'chatcmpl-stream1',
      responseModel: 'gpt-4o-mini-2024-07-18',
      finishReasons: ['stop'],
      inputTokens: 17,
      outputTokens: 30,
      cachedInputTokens: 0,
      reasoningOutputTokens: 0,
      serviceTier: 'default',
      systemFingerprint: 'fp_06737a9306',
    },
  },
  {
    name: 'a streamed chat completion without usage, CRLF line ends',
    contentType: SSE_TYPE,
    status: 200,
    body: chatStream(5, false, '\r\n'),
    fields: { responseId: 'chatcmpl-stream1', responseModel: 'gpt-4o-mini-2024-07-18', finishReasons: ['stop'], serviceTier: 'default', systemFingerprint: 'fp_06737a9306' },
  },
  {
    name: 'a streamed Responses API response',
    contentType: SSE_TYPE,
    status: 200,
    body: responsesStream(),
    fields: {
      responseId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      responseModel: 'gpt-4.1-2025-04-14',
      finishReasons: ['stop'],
      inputTokens: 36,
      outputTokens: 87,
      cachedInputTokens: 0,
      reasoningOutputTokens: 0,
      serviceTier: 'default',
    },
  },
];
