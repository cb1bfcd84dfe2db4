import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { setupOtel, type TestOtel } from '../helpers/otel.ts';

/** A server that accepts any WebSocket handshake (RFC 6455 section 4.2.2) and then holds the socket. */
async function startWebSocketServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end());
  // Upgraded sockets leave the server's books: close() would wait for them forever.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req, socket) => {
    upgraded.add(socket);
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of upgraded) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('WebSocket handshakes to a matched endpoint (Realtime API)', () => {
  let otel: TestOtel;
  let server: Awaited<ReturnType<typeof startWebSocketServer>>;
  afterEach(async () => {
    await otel.shutdown();
    await server.close();
  });

  it('keeps no state and makes no span for a global WebSocket handshake', async () => {
    server = await startWebSocketServer();
    otel = setupOtel({ endpoints: [`http://${server.origin}`] });
    const ws = new WebSocket(`ws://${server.origin}/v1/realtime?model=gpt-realtime`);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('handshake failed'));
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    ws.close();
    expect(otel.instrumentation.inFlightRequests).toBe(0);
    expect(otel.spans()).toHaveLength(0);
  });
});
