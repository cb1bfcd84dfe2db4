import { describe, expect, it } from 'vitest';
import { chatStream, responsesStream } from './bodies.ts';
import { chunksOf, ENCODINGS } from './encodings.ts';
import { read, SSE_TYPE } from './read.ts';

const sse = (text: string, status = 200) => read([Buffer.from(text)], SSE_TYPE, undefined, status);
const event = (data: object) => `data: ${JSON.stringify(data)}\n\n`;

describe('SSE bodies', () => {
  it('takes the id of the first event that has one, and the last non-null finish reason per index', () => {
    const text =
      event({ id: 'first', model: 'm', choices: [{ index: 0, finish_reason: null }, { index: 1, finish_reason: null }] }) +
      event({ id: 'second', choices: [{ index: 1, finish_reason: 'length' }] }) +
      event({ choices: [{ index: 0, finish_reason: 'stop' }] }) +
      event({ choices: [{ index: 0, finish_reason: null }] }) +
      'data: [DONE]\n\n';
    expect(sse(text)).toEqual({ responseId: 'first', responseModel: 'm', finishReasons: ['stop', 'length'] });
  });

  it("skips Azure's prompt-filter event, whose id and model are \"\": the first non-empty id and model win", () => {
    const text =
      event({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] }) +
      event({ choices: [{ delta: { content: '', role: 'assistant' }, finish_reason: null, index: 0 }], id: 'chatcmpl-real', model: 'gpt-4o', object: 'chat.completion.chunk' }) +
      event({ choices: [{ delta: {}, finish_reason: 'stop', index: 0 }], id: 'chatcmpl-real', model: '', system_fingerprint: '', service_tier: '' }) +
      'data: [DONE]\n\n';
    expect(sse(text)).toEqual({ responseId: 'chatcmpl-real', responseModel: 'gpt-4o', finishReasons: ['stop'] });
  });

  it('never gives an empty string: a stream whose only values are "" gives no attribute for them', () => {
    expect(sse(event({ id: '', model: '', choices: [{ index: 0, finish_reason: '' }] }))).toEqual({});
  });

  it('leaves tokens out when the stream has no usage event (usage null in every chunk)', () => {
    expect(sse(chatStream(3, false))).not.toHaveProperty('inputTokens');
    expect(sse(event({ model: 'm', usage: null }) + event({ model: 'm', usage: null }))).toEqual({ responseModel: 'm' });
  });

  it('ignores comments, unknown fields, event names, ids and retry, and joins multi-line data', () => {
    const text = ': hello\nevent: x\nid: 3\nretry: 10\nfoo: {"model":"no"}\nfoo\ndata: {"model":\ndata: "m"}\n\n: bye\n\n';
    expect(sse(text)).toEqual({ responseModel: 'm' });
  });

  it('accepts LF, CRLF and CR line ends, a data field without its space, and a CRLF split across chunks', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = `data:{"model":"m"}${eol}${eol}data: {"id":"i"}${eol}${eol}data: [DONE]${eol}${eol}`;
      expect(sse(text), JSON.stringify(eol)).toEqual({ responseModel: 'm', responseId: 'i' });
      expect(read(chunksOf(Buffer.from(text), 1), SSE_TYPE, undefined), JSON.stringify(eol)).toEqual({ responseModel: 'm', responseId: 'i' });
    }
  });

  it('a stream cut mid-event gives nothing; one that stops between events keeps what it read', () => {
    const full = chatStream(3, true);
    const cut = full.slice(0, full.indexOf('"usage":{') + 12);
    expect(sse(cut)).toEqual({});
    const between = full.slice(0, full.indexOf('data: ', 10));
    expect(sse(between)).toMatchObject({ responseId: 'chatcmpl-stream1' });
  });

  it('a malformed event gives nothing for the whole stream', () => {
    expect(sse(event({ model: 'm' }) + 'data: {"model":\n\n' + event({ id: 'i' }))).toEqual({});
    expect(sse('data: [DON\n\n')).toEqual({});
  });

  it('reads the Responses API stream from its response events, not from deltas that mention "model"', () => {
    const fields = sse(responsesStream());
    expect(fields.finishReasons).toEqual(['stop']);
    expect(fields.responseModel).toBe('gpt-4.1-2025-04-14');
  });

  it('maps a failed Responses stream to finish reason error', () => {
    const text = event({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress', usage: null } }) + event({ type: 'response.failed', response: { id: 'resp_1', status: 'failed', error: { code: 'server_error', message: 'secret' } } });
    expect(sse(text)).toEqual({ responseId: 'resp_1', finishReasons: ['error'] });
  });

  it('reads compressed streams pushed in small pieces', () => {
    for (const encoding of ENCODINGS) {
      const wire = encoding.encode(Buffer.from(chatStream(10, true)));
      expect(read(chunksOf(wire, 5), SSE_TYPE, encoding.header), encoding.name).toMatchObject({ inputTokens: 17, outputTokens: 10, finishReasons: ['stop'] });
    }
  });

  it('reads an error body sent as an event stream', () => {
    expect(sse(event({ error: { code: 'rate_limit_exceeded', type: 'requests', message: 'm' } }), 429)).toEqual({ errorCode: 'rate_limit_exceeded', errorType: 'requests' });
  });
});

describe('SSE bodies: events that begin alike', () => {
  const chunk = (fingerprint: string, reason: string | null, content: unknown) =>
    event({ id: 'c1', object: 'chat.completion.chunk', model: 'm', system_fingerprint: fingerprint, choices: [{ index: 0, delta: { content }, finish_reason: reason }] });

  it('a value that changes inside the shared beginning is still read', () => {
    const text = chunk('fp_1', null, 'a') + chunk('fp_1', null, 'b') + chunk('fp_2', null, 'c') + chunk('fp_2', 'stop', '[{"x":1}]');
    expect(sse(text)).toEqual({ responseId: 'c1', responseModel: 'm', systemFingerprint: 'fp_2', finishReasons: ['stop'] });
  });

  it('what follows the shared beginning is read in every event (nested brackets, finish reasons, usage)', () => {
    const text = chunk('fp', null, { deep: [[{ a: '}' }]] }) + chunk('fp', 'length', ']]}}') + chunk('fp', null, '') + event({ id: 'c1', usage: { prompt_tokens: 3 } });
    expect(sse(text)).toEqual({ responseId: 'c1', responseModel: 'm', systemFingerprint: 'fp', finishReasons: ['length'], inputTokens: 3 });
  });

  it('a malformed event that begins like the others still breaks the stream', () => {
    const good = chunk('fp', null, 'a');
    expect(sse(good + good + good.replace('"finish_reason"', '"finish_reason" x'))).toEqual({});
  });
});
