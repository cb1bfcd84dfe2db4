import { createServer, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { createHandler } from './handler.ts';
import { resolveOptions } from './options.ts';
import { QuotaBook } from './quota.ts';
import type { Simulator, SimulatorOptions } from './types.ts';

// Longer than the idle time of undici's and the openai SDK's pools (4 s / 60 s), so the
// server never closes a connection a client is about to reuse, which would fail a request.
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Starts an OpenAI-compatible server; resolves once it listens. */
export async function startSimulator(partial?: Partial<SimulatorOptions>): Promise<Simulator> {
  const options = resolveOptions(partial);
  let requestCount = 0;
  const quota = new QuotaBook(options.quotaExhaustedKeys);
  const handler = createHandler(options, quota, () => {
    requestCount++;
  });
  const server: Server | Http2SecureServer = options.tls
    ? createSecureServer({ key: options.tls.key, cert: options.tls.cert, allowHTTP1: true }, handler)
    : createServer(handler);
  // Also applies to the HTTP/1.1 fallback connections of the HTTP/2 server.
  Object.assign(server, { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, headersTimeout: KEEP_ALIVE_TIMEOUT_MS + 1000 });
  const sockets = trackSockets(server);
  await listen(server, options.port, options.host);

  const port = (server.address() as AddressInfo).port;
  const origin = `${options.tls ? 'https' : 'http'}://${urlHost(options.host)}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: options.mode === 'openai' ? `${origin}/v1` : origin,
    origin,
    port,
    options,
    get requestCount() {
      return requestCount;
    },
    setQuota(update) {
      quota.update(update);
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections (and HTTP/2 sessions) would hold close() open for a minute.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function trackSockets(server: Server | Http2SecureServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: Server | Http2SecureServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A host clients can dial: the loopback for a wildcard address, IPv6 literals in brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
