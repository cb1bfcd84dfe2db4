import type { Exported } from './types.ts';

/** A small but typical chat request: the model first, as the SDKs serialise it. */
export const CHAT_REQUEST = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a terse assistant.' },
    { role: 'user', content: 'Say hello in five words.' },
  ],
  max_tokens: 32,
} as const;

const BODY = JSON.stringify(CHAT_REQUEST);
const HEADERS = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };

/** Plain global fetch, the way an app without an SDK calls the API; the body is read to the end. */
export function fetchChat(baseUrl: string): () => Promise<number> {
  const url = `${baseUrl}/chat/completions`;
  return async () => {
    const response = await fetch(url, { method: 'POST', headers: HEADERS, body: BODY });
    await response.arrayBuffer();
    return response.status;
  };
}

export const NOTHING_EXPORTED: Exported = { spans: 0, metricExports: 0, metricDataPoints: 0 };
