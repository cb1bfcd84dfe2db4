import OpenAI, { APIError } from 'openai';
import { CHAT_REQUEST } from './request.ts';

/** The official SDK, as apps use it (no retries, so every call is one HTTP request). */
export function sdkChat(baseUrl: string): () => Promise<number> {
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: baseUrl, maxRetries: 0 });
  return async () => {
    try {
      await client.chat.completions.create({ ...CHAT_REQUEST, messages: [...CHAT_REQUEST.messages] });
      return 200;
    } catch (error) {
      return error instanceof APIError && typeof error.status === 'number' ? error.status : 0;
    }
  };
}
