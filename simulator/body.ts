import type { SimRequest } from './internal-types.ts';

/** Far above any real prompt; it only stops a runaway client from filling memory. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Collects the request body as UTF-8 text, then calls `done` with it, or with `undefined`
 * when it is larger than MAX_BODY_BYTES (the rest is drained unread). A request the client
 * aborts never calls `done`. Callbacks rather than a promise: this runs for every request.
 */
export function readBody(req: SimRequest, done: (text: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => done(size <= MAX_BODY_BYTES ? Buffer.concat(chunks, size).toString('utf8') : undefined));
  // An aborted upload ends here without 'end'; there is no one left to answer.
  req.on('error', () => undefined);
}
