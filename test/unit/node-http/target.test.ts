import { describe, expect, it } from 'vitest';
import { requestTarget, type ClientRequestLike } from '../../../src/node-http/target.ts';

const request = (fields: Omit<ClientRequestLike, 'getHeader'> & { hostHeader?: unknown }): ClientRequestLike => ({
  ...fields,
  getHeader: (name) => (name === 'host' ? fields.hostHeader : undefined),
});

describe('requestTarget (where a node:http ClientRequest goes)', () => {
  it("takes the port from Node's own Host header, and leaves default ports out of the origin", () => {
    expect(requestTarget(request({ protocol: 'http:', host: '127.0.0.1', path: '/v1/chat/completions', hostHeader: '127.0.0.1:8080' }))).toEqual({
      origin: 'http://127.0.0.1:8080',
      path: '/v1/chat/completions',
    });
    expect(requestTarget(request({ protocol: 'https:', host: 'API.OpenAI.com', path: '/v1/models', hostHeader: 'api.openai.com' }))?.origin).toBe('https://api.openai.com');
    expect(requestTarget(request({ protocol: 'https:', host: 'api.openai.com', path: '/v1/models', hostHeader: 'api.openai.com:443' }))?.origin).toBe('https://api.openai.com');
  });

  it('brackets IPv6 hosts as URL.origin does', () => {
    expect(requestTarget(request({ protocol: 'http:', host: '::1', path: '/v1', hostHeader: '[::1]:11434' }))?.origin).toBe('http://[::1]:11434');
    expect(requestTarget(request({ protocol: 'http:', host: '::1', path: '/v1', hostHeader: '[::1]' }))?.origin).toBe('http://[::1]');
  });

  it('ignores a Host header naming another host (a virtual host): the default port is assumed', () => {
    expect(requestTarget(request({ protocol: 'http:', host: '10.0.0.5', path: '/v1', hostHeader: 'llm.internal:9000' }))?.origin).toBe('http://10.0.0.5');
    expect(requestTarget(request({ protocol: 'http:', host: '10.0.0.5', path: '/v1', hostHeader: ['10.0.0.5:9000'] }))?.origin).toBe('http://10.0.0.5');
  });

  it('reads the target of a forward-proxy request from its absolute-form path', () => {
    expect(requestTarget(request({ protocol: 'http:', host: 'proxy', path: 'https://api.openai.com/v1/embeddings?x=1', hostHeader: 'proxy:3128' }))).toEqual({
      origin: 'https://api.openai.com',
      path: '/v1/embeddings?x=1',
    });
    expect(requestTarget(request({ protocol: 'http:', host: 'proxy', path: 'http://[not a url' }))).toBeUndefined();
  });

  it('gives up on anything that is not an http(s) request with a host and a path', () => {
    expect(requestTarget(request({ protocol: 'ws:', host: 'a', path: '/' }))).toBeUndefined();
    expect(requestTarget(request({ protocol: 'http:', host: '', path: '/' }))).toBeUndefined();
    expect(requestTarget(request({ protocol: 'http:', host: 'a', path: 5 }))).toBeUndefined();
    expect(requestTarget({ protocol: 'http:', host: 'a', path: '' })).toEqual({ origin: 'http://a', path: '/' });
  });
});
