import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * Synthetic undici diagnostics-channel traffic for network-free measurements: the messages
 * undici (Node 24's bundled 7.x) publishes for one `fetch` POST, in its order, with objects
 * shaped like its own (probed from a real request): a request with an `addHeader` that appends
 * to the flat header array, and response headers as a flat array of Buffers with the names
 * and values a real OpenAI response carries (Cloudflare's included). The response body is
 * published only where a message says so (see `SyntheticResponse`).
 */

const CHANNEL = {
  create: diagnosticsChannel.channel('undici:request:create'),
  sendHeaders: diagnosticsChannel.channel('undici:client:sendHeaders'),
  bodyChunkSent: diagnosticsChannel.channel('undici:request:bodyChunkSent'),
  bodySent: diagnosticsChannel.channel('undici:request:bodySent'),
  headers: diagnosticsChannel.channel('undici:request:headers'),
  bodyChunkReceived: diagnosticsChannel.channel('undici:request:bodyChunkReceived'),
  trailers: diagnosticsChannel.channel('undici:request:trailers'),
};

const REQUEST_BODY = Buffer.from(
  JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You are a terse assistant.' },
      { role: 'user', content: 'Say hello in five words.' },
    ],
    max_tokens: 32,
  }),
);

/** A real OpenAI chat-completion response's headers, in order, as HTTP/1.1 delivers them. */
export const OPENAI_RESPONSE_HEADER_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['Date', 'Tue, 11 Mar 2025 10:12:31 GMT'],
  ['Content-Type', 'application/json'],
  ['Transfer-Encoding', 'chunked'],
  ['Connection', 'keep-alive'],
  ['access-control-expose-headers', 'X-Request-ID'],
  ['openai-organization', 'user-abc123'],
  ['openai-processing-ms', '412'],
  ['openai-project', 'proj_Xk2mPz7qR1vN8wLb'],
  ['openai-version', '2020-10-01'],
  ['x-ratelimit-limit-requests', '10000'],
  ['x-ratelimit-limit-tokens', '2000000'],
  ['x-ratelimit-remaining-requests', '9999'],
  ['x-ratelimit-remaining-tokens', '1999750'],
  ['x-ratelimit-reset-requests', '6ms'],
  ['x-ratelimit-reset-tokens', '1m26.4s'],
  ['x-request-id', 'req_8f9c1b2e4a7d4e0f9b3c2a1d5e6f7a8b'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains; preload'],
  ['cf-cache-status', 'DYNAMIC'],
  ['set-cookie', '__cf_bm=Hq3X9oVt0pLk2rS8m1NfY7uWcZ.dE4gB6aJ5iT0hR3s-1741687951-1.0.1.1-abcdefghijklmnopqrstuvwxyz0123456789; path=/; expires=Tue, 11-Mar-25 10:42:31 GMT; domain=.api.openai.com; HttpOnly; Secure; SameSite=None'],
  ['X-Content-Type-Options', 'nosniff'],
  ['set-cookie', '_cfuvid=Ez1jGq8xYk2Vb7LwN3mR5tC0pS9dF4hU6aI-1741687951234-0.0.1.1-604800000; path=/; domain=.api.openai.com; HttpOnly; Secure; SameSite=None'],
  ['Server', 'cloudflare'],
  ['CF-RAY', '91e4b2c3d5a6f7e8-FRA'],
  ['Content-Encoding', 'br'],
  ['alt-svc', 'h3=":443"; ma=86400'],
];

/** HTTP/1: `[name, value, ...]` Buffers, each its own allocation as undici's parser makes them. */
export function flatHeaderBuffers(pairs: ReadonlyArray<readonly [string, string]> = OPENAI_RESPONSE_HEADER_PAIRS): Buffer[] {
  return pairs.flatMap(([name, value]) => [Buffer.from(name, 'latin1'), Buffer.from(value, 'latin1')]);
}

/**
 * The same headers with the body's own content type and encoding (none: identity), as the
 * response to a body message carries them.
 */
export function headerPairsFor(contentType: string, contentEncoding: string | undefined): Array<readonly [string, string]> {
  const out: Array<readonly [string, string]> = [];
  for (const [name, value] of OPENAI_RESPONSE_HEADER_PAIRS) {
    const key = name.toLowerCase();
    if (key === 'content-type') out.push([name, contentType]);
    else if (key === 'content-encoding') {
      if (contentEncoding !== undefined) out.push([name, contentEncoding]);
    } else out.push([name, value]);
  }
  return out;
}

/** One response as the channels hand it over: its headers, and its body chunks if they are published. */
export interface SyntheticResponse {
  readonly path: string;
  readonly headers: Buffer[] | Record<string, string | string[]>;
  /**
   * The body as `undici:request:bodyChunkReceived` delivers it, one message per chunk; absent
   * for a runtime that does not publish that channel (Node 22, Node 24 before 24.4).
   */
  readonly bodyChunks?: readonly Buffer[];
}

/** HTTP/2: a plain object of lower-case names; repeated names become arrays. */
export function objectHeaders(): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of OPENAI_RESPONSE_HEADER_PAIRS) {
    const key = name.toLowerCase();
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** The fields of undici's Request that instrumentations read, plus its header-appending addHeader. */
class SyntheticRequest {
  readonly origin: string;
  readonly path: string;
  readonly method = 'POST';
  readonly headers: string[];
  readonly body = { [Symbol.asyncIterator]: null };
  completed = false;
  aborted = false;
  readonly idempotent = false;
  readonly contentLength = REQUEST_BODY.length;
  readonly contentType = 'application/json';
  constructor(origin: string, path: string) {
    this.origin = origin;
    this.path = path;
    this.headers = [
      'content-type', 'application/json',
      'authorization', 'Bearer sk-bench',
      'user-agent', 'OpenAI/JS 5.23.0',
      'x-stainless-retry-count', '0',
      'accept', 'application/json',
      'accept-language', '*',
      'sec-fetch-mode', 'cors',
      'accept-encoding', 'gzip, deflate',
    ];
  }
  addHeader(name: string, value: string): this {
    this.headers.push(name, value);
    return this;
  }
}

const SOCKET = { remoteAddress: '162.159.140.245', remotePort: 443, alpnProtocol: false };

/**
 * Publishes one whole request's messages. Like undici, a message object is only built when its
 * channel has subscribers, so "no subscriber" is the true baseline.
 */
export function publishRequest(origin: string, response: SyntheticResponse): void {
  const request = new SyntheticRequest(origin, response.path);
  if (CHANNEL.create.hasSubscribers) CHANNEL.create.publish({ request });
  if (CHANNEL.sendHeaders.hasSubscribers) CHANNEL.sendHeaders.publish({ request, headers: '', socket: SOCKET });
  if (CHANNEL.bodyChunkSent.hasSubscribers) CHANNEL.bodyChunkSent.publish({ request, chunk: REQUEST_BODY });
  if (CHANNEL.bodySent.hasSubscribers) CHANNEL.bodySent.publish({ request });
  if (CHANNEL.headers.hasSubscribers) {
    CHANNEL.headers.publish({ request, response: { statusCode: 200, statusText: 'OK', headers: response.headers } });
  }
  const chunks = response.bodyChunks;
  if (chunks !== undefined && CHANNEL.bodyChunkReceived.hasSubscribers) {
    for (let i = 0; i < chunks.length; i++) CHANNEL.bodyChunkReceived.publish({ request, chunk: chunks[i] });
  }
  request.completed = true;
  if (CHANNEL.trailers.hasSubscribers) CHANNEL.trailers.publish({ request, trailers: [] });
}
