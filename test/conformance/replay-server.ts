import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { constants, createGzip, type Gzip } from 'node:zlib';
import type { Exchange } from './normalise.ts';

/**
 * Framing the replay sets itself: the recorded body was re-serialised by the recorder (JSON
 * pretty-printed) and is compressed here, so recorded lengths and encodings would lie.
 */
const FRAMING = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

export interface ReplayServer {
  readonly origin: string;
  readonly port: number;
  /** Answers the next request with this exchange's recorded response. */
  serve(exchange: Exchange): void;
  /** Requests that did not match the served exchange's method and path. */
  readonly mismatches: string[];
  close(): Promise<void>;
}

/** SSE events, each with the blank line that ends it, exactly as recorded. */
export function sseEvents(body: string): string[] {
  return body.split(/(?<=\n\n)/).filter((e) => e.length > 0);
}

type Request = http.IncomingMessage;
type Response = http.ServerResponse;

/**
 * A local server that answers with a recorded exchange: the recorded status and headers
 * (values untouched), the body gzip-compressed when the client accepts gzip (as the live API
 * does), an event stream written event by event, each event flushed through the compressor.
 * Given a key and certificate it serves HTTPS with HTTP/2 (HTTP/1.1 by ALPN too), as
 * api.openai.com does, where Node 26's fetch speaks HTTP/2.
 */
export async function startReplayServer(tls?: { key: Buffer; cert: Buffer }): Promise<ReplayServer> {
  let current: Exchange | undefined;
  const mismatches: string[] = [];
  const handler = (req: Request, res: Response): void => {
    req.resume();
    req.on('end', () => {
      const exchange = current;
      if (exchange === undefined || req.method !== exchange.request.method || req.url !== exchange.request.path) {
        mismatches.push(`${req.method} ${req.url}`);
        res.writeHead(599).end();
        return;
      }
      answer(exchange, req, res);
    });
  };
  // HTTP/2's compatibility API gives the request and response the methods used here.
  const server = tls === undefined ? http.createServer(handler) : http2.createSecureServer({ ...tls, allowHTTP1: true }, handler as never);
  if (server instanceof http.Server) server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    mismatches,
    serve(exchange) {
      current = exchange;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (server instanceof http.Server) server.closeAllConnections();
        server.close(() => resolve());
        // An HTTP/2 session stays open until its client goes: do not wait for it.
        if (!(server instanceof http.Server)) setTimeout(resolve, 50).unref();
      }),
  };
}

function answer(exchange: Exchange, req: Request, res: Response): void {
  // HTTP/2 wants lower-case names; a repeated header stays repeated (an array of values).
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of exchange.response.headers) {
    const key = name.toLowerCase();
    if (FRAMING.has(key)) continue;
    const seen = headers[key];
    headers[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) headers['content-encoding'] = 'gzip';
  res.writeHead(exchange.response.status, headers);
  const { body } = exchange.response;
  const stream = exchange.kind.endsWith('.stream');
  const parts = stream ? sseEvents(body) : [body];
  // The last part goes out with the end of the body, as the live API sends `data: [DONE]`.
  const last = parts.pop() ?? '';
  if (!gzip) {
    void writeEach(parts, (part) => res.write(part)).then(() => res.end(last));
    return;
  }
  const z: Gzip = createGzip();
  z.pipe(res);
  void writeEach(parts, (part) => new Promise<void>((resolve) => z.write(part, () => z.flush(constants.Z_SYNC_FLUSH, () => resolve())))).then(() => z.end(last));
}

/** Writes the parts one per turn of the event loop, so each leaves as its own chunk. */
async function writeEach(parts: readonly string[], write: (part: string) => unknown): Promise<void> {
  for (const part of parts) {
    await write(part);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
