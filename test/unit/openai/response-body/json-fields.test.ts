import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../../../src/openai/response-body/index.ts';
import { embeddings } from './bodies.ts';
import { chunksOf, ENCODINGS } from './encodings.ts';
import { JSON_TYPE, read } from './read.ts';

const json = (text: string, status = 200) => read([Buffer.from(text)], JSON_TYPE, undefined, status);

describe('JSON bodies: which values count', () => {
  it('takes top-level keys only: a nested model, id or usage is not the response one', () => {
    expect(
      json('{"metadata":{"model":"n","id":"n","usage":{"prompt_tokens":1}},"choices":[{"message":{"model":"n","id":"n"},"finish_reason":"stop"}],"data":[{"model":"n"}]}'),
    ).toEqual({ finishReasons: ['stop'] });
  });

  it('records a count of 0 as 0, and leaves out usage that is null or missing', () => {
    expect(json('{"usage":{"prompt_tokens":0,"completion_tokens":0}}')).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(json('{"model":"m","usage":null}')).toEqual({ responseModel: 'm' });
    expect(json('{"model":"m"}')).toEqual({ responseModel: 'm' });
  });

  it('leaves out counts that are not non-negative integers, and strings of the wrong type', () => {
    expect(json('{"usage":{"prompt_tokens":-1,"completion_tokens":1.5,"prompt_tokens_details":{"cached_tokens":"3"}},"model":7,"id":{"a":1}}')).toEqual({});
    expect(json('{"usage":{"prompt_tokens":1e2,"completion_tokens":12.0}}')).toEqual({ inputTokens: 100, outputTokens: 12 });
  });

  it('leaves out string values that are "" (id, model, tier, fingerprint, finish reason, error code and type)', () => {
    expect(json('{"id":"","model":"","service_tier":"","system_fingerprint":"","choices":[{"index":0,"finish_reason":""}],"usage":{"prompt_tokens":0}}')).toEqual({ inputTokens: 0 });
    expect(json('{"error":{"code":"","type":""}}', 400)).toEqual({});
  });

  it('lets a repeated key replace the earlier one, as JSON.parse does', () => {
    const text = '{"model":"a","usage":{"prompt_tokens":1,"completion_tokens":2},"model":"b","usage":{"completion_tokens":3},"system_fingerprint":"fp","system_fingerprint":null}';
    expect(json(text)).toEqual({ responseModel: 'b', outputTokens: 3 });
    expect(JSON.parse(text)).toMatchObject({ model: 'b', usage: { completion_tokens: 3 }, system_fingerprint: null });
  });

  it('gives finish reasons in index order and leaves out null ones', () => {
    expect(json('{"choices":[{"index":2,"finish_reason":"stop"},{"index":0,"finish_reason":"length"},{"index":1,"finish_reason":null}]}')).toEqual({ finishReasons: ['length', 'stop'] });
    expect(json('{"choices":[{"finish_reason":null}]}')).toEqual({});
    expect(json('{"choices":[]}')).toEqual({});
  });

  it('maps Responses API statuses to finish reasons', () => {
    expect(json('{"status":"completed"}')).toEqual({ finishReasons: ['stop'] });
    expect(json('{"status":"failed","error":{"code":"server_error"}}')).toEqual({ finishReasons: ['error'] });
    expect(json('{"status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}')).toEqual({ finishReasons: ['length'] });
    expect(json('{"status":"incomplete","incomplete_details":{"reason":"content_filter"}}')).toEqual({ finishReasons: ['content_filter'] });
    expect(json('{"status":"incomplete","incomplete_details":null}')).toEqual({ finishReasons: ['incomplete'] });
    expect(json('{"status":"in_progress"}')).toEqual({ finishReasons: ['in_progress'] });
  });

  it('reads error code and type from error bodies only, never the message', () => {
    const body = '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}';
    expect(json(body, 429)).toEqual({ errorCode: 'insufficient_quota', errorType: 'insufficient_quota' });
    expect(json(body, 200)).toEqual({});
    expect(json('{"error":{"message":"m","type":"invalid_request_error","code":null}}', 400)).toEqual({ errorType: 'invalid_request_error' });
    expect(JSON.stringify(json(body, 429))).not.toContain('exceeded');
  });

  it('decodes escapes in the values it keeps, and in keys', () => {
    expect(json('{"model":"gpt-4o\\u002dmini","\\u0069d":"a\\"b","service_tier":"d\\u00e9j\\u00e0"}')).toEqual({ responseModel: 'gpt-4o-mini', responseId: 'a"b', serviceTier: 'déjà' });
  });

  it('drops a wanted value longer than 256 bytes, keeps one of 256', () => {
    expect(json(`{"model":"${'m'.repeat(257)}","id":"${'i'.repeat(256)}"}`)).toEqual({ responseId: 'i'.repeat(256) });
  });

  it('skips long strings and deep nesting it does not want', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(json(`{"a":"${'x\\"'.repeat(50_000)}","b":${deep},"model":"m"}`)).toEqual({ responseModel: 'm' });
  });
});

describe('JSON bodies: broken, truncated or mis-labelled give nothing', () => {
  const good = Buffer.from('{"id":"chatcmpl-1","model":"m","usage":{"prompt_tokens":1}}');
  it('garbage, a second document, a bad literal or an unclosed body give no fields', () => {
    for (const text of ['{"model":"m",}', '{"model":"m"}{"model":"x"}', '{"model":"m","x":nul}', '{"model":"m"', 'not json', '{"model":"m"]', '{"model" "m"}', '{"model":"a\u0001b"}']) {
      expect(json(text), text).toEqual({});
    }
  });

  it('an empty body gives nothing', () => {
    expect(read([], JSON_TYPE, undefined)).toEqual({});
    expect(read([], JSON_TYPE, 'gzip')).toEqual({});
  });

  it('a gzip header over plain bytes, or plain JSON labelled gzip, gives nothing and never throws', () => {
    const gz = ENCODINGS[1]!.encode(good);
    expect(read([gz], JSON_TYPE, undefined)).toEqual({});
    for (const encoding of ENCODINGS.filter((e) => e.header !== undefined)) {
      expect(read([good], JSON_TYPE, encoding.header), encoding.name).toEqual({});
    }
    expect(read([Buffer.concat([gz.subarray(0, 10), good])], JSON_TYPE, 'gzip')).toEqual({});
  });

  it('a compressed body cut short gives nothing', () => {
    for (const encoding of ENCODINGS) {
      const wire = encoding.encode(good);
      expect(read([wire.subarray(0, wire.length >> 1)], JSON_TYPE, encoding.header), encoding.name).toEqual({});
    }
  });
});

describe('JSON bodies: the cap on decoded bytes', () => {
  it('keeps what came before the cap and drops what sits after it', () => {
    const body = Buffer.from(`{"id":"chatcmpl-1","model":"m","choices":[{"index":0,"message":{"content":"${'x'.repeat(MAX_DOCUMENT_BYTES)}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1}}`);
    for (const encoding of ENCODINGS) {
      expect(read(chunksOf(encoding.encode(body), 64 * 1024), JSON_TYPE, encoding.header), encoding.name).toEqual({ responseId: 'chatcmpl-1', responseModel: 'm' });
    }
  });

  it('an embeddings response past the cap loses its model and usage, one under it keeps them', () => {
    const small = Buffer.from(embeddings(4, 256));
    expect(read([ENCODINGS[1]!.encode(small)], JSON_TYPE, 'gzip')).toEqual({ responseModel: 'text-embedding-3-small', inputTokens: 32 });
    const big = Buffer.from(embeddings(200, 1536));
    expect(big.length).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    expect(read(chunksOf(ENCODINGS[1]!.encode(big), 16 * 1024), JSON_TYPE, 'gzip')).toEqual({});
  });
});
