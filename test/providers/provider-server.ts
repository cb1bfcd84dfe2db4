import type { OutgoingHttpHeaders } from 'node:http';
import { startHttpServer, type TestServer } from '../helpers/http-server.ts';

/**
 * A stand-in for an OpenAI-compatible provider: answers every request with a chat completion
 * (or `status` and an error body) and exactly the response headers given, the way that
 * provider sends them. Listens on 127.0.0.1:0.
 */
export function startProviderServer(headers: OutgoingHttpHeaders, status = 200): Promise<TestServer> {
  return startHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(
        status >= 400
          ? JSON.stringify({ error: { message: 'rate limited', type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' } })
          : JSON.stringify({
              id: 'chatcmpl-1',
              object: 'chat.completion',
              created: 0,
              model: 'm',
              choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
              usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
            }),
      );
    });
  });
}
