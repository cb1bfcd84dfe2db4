import type { Simulator } from '../../simulator/index.ts';

/** A raw JSON POST to an endpoint under the simulator's base URL, for asserting on headers. */
export function post(sim: Simulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A small chat request: 20 characters of prompt (5 tokens) plus `max_tokens` 10 cost 15 tokens. */
export const CHAT = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Say hello to my test' }], max_tokens: 10 } as const;
