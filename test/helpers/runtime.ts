/**
 * What the running undici publishes: `undici:request:bodyChunkSent` (the only way to read a
 * fetch body) arrived in undici 7.11, bundled from Node 24.4 on.
 */
export function bundledUndiciHasBodyChunks(): boolean {
  const [major = 0, minor = 0] = (process.versions.undici ?? '0.0').split('.').map(Number);
  return major > 7 || (major === 7 && minor >= 11);
}

/**
 * Whether a client's undici publishes `undici:request:bodyChunkReceived` (undici >= 7.11: Node
 * >= 24.4, 26, npm undici >= 7.11), found out by making one call to a local server with
 * `send` and listening: the condition the response body can be read under.
 */
export async function publishesBodyChunksReceived(send: (url: string) => Promise<void> = defaultSend): Promise<boolean> {
  const { createServer } = await import('node:http');
  const diagnosticsChannel = await import('node:diagnostics_channel');
  const server = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let seen = false;
  const listener = (): void => {
    seen = true;
  };
  diagnosticsChannel.subscribe('undici:request:bodyChunkReceived', listener);
  try {
    const { port } = server.address() as { port: number };
    await send(`http://127.0.0.1:${port}/`);
  } finally {
    diagnosticsChannel.unsubscribe('undici:request:bodyChunkReceived', listener);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return seen;
}

async function defaultSend(url: string): Promise<void> {
  await (await fetch(url)).text();
}
