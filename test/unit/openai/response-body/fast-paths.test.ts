import { describe, expect, it } from 'vitest';
import type { ResponseBodyFields } from '../../../../src/openai/response-body/index.ts';
import { JSON_TYPE, read, SSE_TYPE } from './read.ts';

/**
 * The scanner reads whole members of a followed object at once whenever the bytes are in one
 * chunk, and skips unwanted containers and strings in tight loops; anything else goes to the
 * general machine. These bodies sit on the edges of those paths, and each is read whole,
 * split in two at every byte, and byte by byte: every way must give the same fields.
 */
function everySplit(text: string, contentType = JSON_TYPE): ResponseBodyFields {
  const body = Buffer.from(text);
  const whole = read([body], contentType, undefined);
  for (let i = 0; i <= body.length; i++) {
    expect(read([body.subarray(0, i), body.subarray(i)], contentType, undefined), `split at ${i}`).toEqual(whole);
  }
  const bytes: Buffer[] = [];
  for (let i = 0; i < body.length; i++) bytes.push(body.subarray(i, i + 1));
  expect(read(bytes, contentType, undefined), 'byte by byte').toEqual(whole);
  return whole;
}

describe('fast paths of the JSON scanner', () => {
  it('reads plain members, with a key split anywhere across chunks', () => {
    const text = '{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_1","usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}';
    expect(everySplit(text)).toEqual({
      responseId: 'chatcmpl-1',
      responseModel: 'gpt-4o-mini',
      serviceTier: 'default',
      systemFingerprint: 'fp_1',
      inputTokens: 19,
      outputTokens: 10,
    });
  });

  it('steps over escaped quotes and backslashes in strings nobody wants', () => {
    const text = String.raw`{"object":"a\"b\\","x":"\\\"","model":"m","metadata":{"k":"q\"}{[","y":"\\\\","z":["\"]"]},"id":"i"}`;
    expect(JSON.parse(text)).toMatchObject({ model: 'm', id: 'i' });
    expect(everySplit(text)).toEqual({ responseModel: 'm', responseId: 'i' });
  });

  it('does not take brackets or keys inside skipped strings for structure', () => {
    const text = '{"metadata":{"a":"}]}","b":["[{\\"model\\":\\"n\\"}"],"c":"{"},"choices":[{"message":{"content":"]}],\\"model\\":\\"n\\""},"finish_reason":"stop"}],"model":"m"}';
    expect(JSON.parse(text)).toMatchObject({ model: 'm' });
    expect(everySplit(text)).toEqual({ responseModel: 'm', finishReasons: ['stop'] });
  });

  it('steps over skipped strings longer than the short-string loop, escapes around its end', () => {
    for (const at of [44, 45, 46, 47, 48, 49, 50]) {
      const long = 'x'.repeat(at) + '\\"' + 'y'.repeat(10) + '\\\\';
      const text = `{"metadata":{"a":"${long}","b":"}"},"object":"${long}","model":"m"}`;
      expect(JSON.parse(text)).toMatchObject({ model: 'm' });
      expect(everySplit(text)).toEqual({ responseModel: 'm' });
    }
  });

  it('hands over what it does not read itself: escapes and non-ASCII in keys and values, whitespace, null, wrong types', () => {
    expect(everySplit('{"mo\\u0064el":"gpt-\\u00e9","id":"a\\"b"}')).toEqual({ responseModel: 'gpt-é', responseId: 'a"b' });
    expect(everySplit('{"model":"gpt-é","service_tier" : "flex" ,"id": "i"}')).toEqual({ responseModel: 'gpt-é', serviceTier: 'flex', responseId: 'i' });
    expect(everySplit('{"model":"a","model":null,"usage":{"prompt_tokens":"3","completion_tokens":null,"total_tokens":true}}')).toEqual({});
    expect(everySplit('{"usage":{"prompt_tokens":1e2,"completion_tokens":-1},"model":7}')).toEqual({ inputTokens: 100 });
  });

  it('reads null where a leaf or an object is wanted as absent, and still rejects a literal that only begins with null', () => {
    expect(everySplit('{"usage":{"prompt_tokens":1,"completion_tokens":2},"usage":null,"model":"m","id":null,"choices":[{"index":null,"finish_reason":null}]}')).toEqual({ responseModel: 'm' });
    expect(everySplit('{"usage":{"prompt_tokens":null,"completion_tokens":2},"choices":null}')).toEqual({ outputTokens: 2 });
    for (const bad of ['nullx', 'nul1', 'null1']) expect(everySplit(`{"model":"m","usage":${bad}}`)).toEqual({});
  });

  it('reads counts summed digit by digit the way the general path does: zero, leading zeros, the safe-integer edge, fractions', () => {
    expect(everySplit('{"created":0,"usage":{"prompt_tokens":0,"completion_tokens":9007199254740991,"total_tokens":12345678901234567890}}')).toEqual({ inputTokens: 0, outputTokens: 9007199254740991 });
    expect(everySplit('{"usage":{"prompt_tokens":9007199254740993,"completion_tokens":10.0,"total_tokens":1}}')).toEqual({ outputTokens: 10 });
    expect(everySplit('{"usage":{"prompt_tokens":1234567890123456,"completion_tokens":12345678901234567}}')).toEqual({ inputTokens: 1234567890123456 });
    for (const bad of ['00', '01', '1a', '2-']) {
      expect(everySplit(`{"model":"m","usage":{"prompt_tokens":${bad}}}`)).toEqual({});
      expect(everySplit(`{"model":"m","created":${bad}}`)).toEqual({});
    }
  });

  it('drops a wanted string longer than the value cap, read fast or not', () => {
    const text = `{"model":"${'m'.repeat(257)}","id":"${'i'.repeat(256)}"}`;
    expect(everySplit(text)).toEqual({ responseId: 'i'.repeat(256) });
  });

  it('still rejects malformed numbers and literals in values nobody wants', () => {
    for (const bad of ['01', '1.', '-', 'nul', 'truex', '1e', '12x3', '+1']) {
      const text = `{"model":"m","created":${bad},"id":"i"}`;
      expect(() => JSON.parse(text)).toThrow();
      expect(everySplit(text)).toEqual({});
    }
  });

  it('reads stream events the same way', () => {
    const event = (finish: string) =>
      `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"\\"}]{"},"logprobs":null,"finish_reason":${finish}}],"usage":null}\n\n`;
    const text = event('null') + event('null') + event('"stop"') + 'data: {"id":"c1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\ndata: [DONE]\n\n';
    expect(everySplit(text, SSE_TYPE)).toEqual({ responseId: 'c1', responseModel: 'm', finishReasons: ['stop'], inputTokens: 3, outputTokens: 2 });
    // `data:` without its space, and fields that only begin with `data`, are not the fast `data: `.
    expect(everySplit('data:{"model":"m"}\n\ndatax: {"model":"n"}\ndata : {"model":"n"}\ndata: {"id":"i"}\n\n', SSE_TYPE)).toEqual({ responseModel: 'm', responseId: 'i' });
  });
});
