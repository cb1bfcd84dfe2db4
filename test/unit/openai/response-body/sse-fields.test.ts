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
