import { describe, expect, it } from 'vitest';
import { EndpointMatcher, apiTypeFromPath, operationFromPath, redactQuery } from '../../src/match.ts';

describe('EndpointMatcher', () => {
  const matcher = new EndpointMatcher(
    [
      'http://127.0.0.1:8787/v1',
      { url: 'https://api.groq.com/openai/v1', provider: 'groq' },
      { url: 'api.together.xyz', provider: 'together' },
      'not a url at all ::',
    ],
    'https://proxy.internal:8443/openai/v1/',
  );

  it('matches api.openai.com and Azure hosts out of the box', () => {
    expect(matcher.match('https://api.openai.com', '/v1/chat/completions')).toMatchObject({
      provider: 'openai',
      operation: 'chat',
      serverAddress: 'api.openai.com',
      serverPort: 443,
      url: 'https://api.openai.com/v1/chat/completions',
    });
    expect(matcher.match('https://myres.openai.azure.com', '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21')).toMatchObject({
      provider: 'azure.ai.openai',
      operation: 'chat',
    });
  });

  it('matches a configured base URL only below its path prefix', () => {
    expect(matcher.match('http://127.0.0.1:8787', '/v1/embeddings')).toMatchObject({ operation: 'embeddings', serverPort: 8787 });
    expect(matcher.match('http://127.0.0.1:8787', '/v10/embeddings')).toBeUndefined();
    expect(matcher.match('http://127.0.0.1:8787', '/health')).toBeUndefined();
    expect(matcher.match('http://127.0.0.1:8788', '/v1/embeddings')).toBeUndefined();
  });

  it('uses the configured provider name', () => {
    expect(matcher.match('https://api.groq.com', '/openai/v1/chat/completions')?.provider).toBe('groq');
    expect(matcher.match('https://api.together.xyz:443', '/v1/completions')).toMatchObject({ provider: 'together', operation: 'text_completion' });
    expect(matcher.match('http://api.together.xyz:8080', '/anything')?.provider).toBe('together');
  });

  it('honours OPENAI_BASE_URL', () => {
    expect(matcher.match('https://proxy.internal:8443', '/openai/v1/chat/completions')?.provider).toBe('openai');
  });

  it('ignores every other host, and malformed origins', () => {
    expect(matcher.match('https://example.com', '/v1/chat/completions')).toBeUndefined();
    expect(matcher.match('https://openai.azure.com.evil.com', '/v1/chat/completions')).toBeUndefined();
    expect(matcher.match(undefined, '/v1/chat/completions')).toBeUndefined();
    expect(matcher.match('::::', '/')).toBeUndefined();
    expect(matcher.match('https://api.openai.com', undefined)).toBeUndefined();
  });

  it('hands out one immutable target per path, and still tells queries and prefixes apart', () => {
    const m = new EndpointMatcher([{ url: 'https://api.groq.com/openai/v1', provider: 'groq' }], undefined);
    const first = m.match('https://api.groq.com', '/openai/v1/chat/completions');
    expect(m.match('https://api.groq.com', '/openai/v1/chat/completions')).toBe(first);
    expect(m.match('https://api.groq.com', '/openai/v1/chat/completions?api_key=s3cret')?.url).toBe(
      'https://api.groq.com/openai/v1/chat/completions?api_key=REDACTED',
    );
    expect(m.match('https://api.groq.com', '/other/chat/completions')).toBeUndefined();
    expect(m.match('https://api.groq.com', '/other/chat/completions')).toBeUndefined();
    for (let i = 0; i < 600; i++) expect(m.match('https://api.groq.com', `/openai/v1/files/file-${i}`)?.operation).toBe('files');
  });

  it('accepts a host:port entry: that host on that port, any scheme and path', () => {
    const m = new EndpointMatcher([{ url: 'localhost:11434', provider: 'ollama' }, 'LLM.internal:8443'], undefined);
    expect(m.match('http://localhost:11434', '/v1/chat/completions')).toMatchObject({ provider: 'ollama', serverPort: 11434 });
    expect(m.match('https://localhost:11434', '/api/chat')?.provider).toBe('ollama');
    expect(m.match('http://localhost:11435', '/v1/chat/completions')).toBeUndefined();
    expect(m.match('https://llm.internal:8443', '/v1/embeddings')?.operation).toBe('embeddings');
    expect(m.match('https://llm.internal', '/v1/embeddings')).toBeUndefined();
  });

  it('warns once, naming them, about entries it cannot use, and uses the rest', () => {
    const warnings: string[] = [];
    const m = new EndpointMatcher(
      ['not a url at all ::', 'https://', 'ftp://files.example.com/v1', 'localhost:99999', '', { url: 5 } as never, 'api.together.xyz'],
      'http://[bad',
      (message) => warnings.push(message),
    );
    expect(warnings).toHaveLength(1);
    for (const entry of ['not a url at all ::', 'https://', 'ftp://files.example.com/v1', 'localhost:99999', 'http://[bad']) expect(warnings[0]).toContain(entry);
    expect(m.match('https://api.together.xyz', '/v1/completions')?.operation).toBe('text_completion');
    const quiet: string[] = [];
    new EndpointMatcher(['api.together.xyz', 'localhost:8080', 'http://127.0.0.1:8787/v1'], undefined, (message) => quiet.push(message));
    expect(quiet).toEqual([]);
  });

  it('accepts a URL object as origin', () => {
    expect(matcher.match(new URL('https://api.openai.com/'), '/v1/models')?.operation).toBe('models');
  });
});

describe('operationFromPath', () => {
  it.each([
    ['/v1/chat/completions', 'chat'],
    ['/v1/completions', 'text_completion'],
    ['/v1/embeddings', 'embeddings'],
    ['/v1/responses', 'chat'],
    ['/v1/models', 'models'],
    ['/v1/models/gpt-4o', 'models'],
    ['/v1/images/generations', 'images.generations'],
    ['/v1/files/file-abc123/content', 'files.content'],
    ['/openai/deployments/x/audio/speech', 'audio.speech'],
    ['/', 'unknown'],
  ])('names %s %s', (path, name) => {
    expect(operationFromPath(path)).toBe(name);
  });
});

describe('apiTypeFromPath', () => {
  it.each([
    ['/v1/chat/completions', 'chat_completions'],
    ['/openai/deployments/x/chat/completions', 'chat_completions'],
    ['/v1/responses', 'responses'],
    ['/openai/responses/', 'responses'],
    ['/v1/completions', 'completions'],
    ['/v1/embeddings', 'embeddings'],
    ['/v1/models', undefined],
    ['/v1/responses/resp_123', undefined],
  ])('gives %s the API type %s', (path, type) => {
    expect(apiTypeFromPath(path)).toBe(type);
  });

  it('is on the matched target, so every runtime sets it', () => {
    const matcher = new EndpointMatcher([], undefined);
    expect(matcher.match('https://api.openai.com', '/v1/responses?x=1')).toMatchObject({ operation: 'chat', apiType: 'responses' });
  });
});

describe('redactQuery', () => {
  it('redacts secret query values and keeps the keys', () => {
    expect(redactQuery('/x?api-version=2024-10-21&api-key=sk-secret&sig=abc')).toBe('/x?api-version=2024-10-21&api-key=REDACTED&sig=REDACTED');
    expect(redactQuery('/x')).toBe('/x');
  });
});
