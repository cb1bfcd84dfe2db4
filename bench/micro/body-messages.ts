/**
 * Response-body messages for the network-free handler bench: the same request as the header
 * message, answered with a real-looking body that `undici:request:bodyChunkReceived` delivers
 * chunk by chunk, with the content type and encoding that body comes with.
 */
import zlib from 'node:zlib';
import { chatCompletion, chatStream, embeddings } from '../../test/unit/openai/response-body/bodies.ts';
import { flatHeaderBuffers, headerPairsFor, type SyntheticResponse } from './messages.ts';

export interface BodyMessage {
  readonly id: string;
  readonly description: string;
  /** With the body chunks published (Node >= 24.4) and without (the same call on Node 22). */
  readonly withBody: SyntheticResponse;
  readonly withoutBody: SyntheticResponse;
  /** What the body-reading figure is reported per: the call, or each body chunk. */
  readonly per: 'call' | 'chunk';
}

function message(
  id: string,
  description: string,
  path: string,
  contentType: string,
  contentEncoding: string | undefined,
  chunks: Buffer[],
  per: 'call' | 'chunk',
): BodyMessage {
  const headers = flatHeaderBuffers(headerPairsFor(contentType, contentEncoding));
  return { id, description, withBody: { path, headers, bodyChunks: chunks }, withoutBody: { path, headers }, per };
}

function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

export function bodyMessages(): BodyMessage[] {
  const chat = Buffer.from(chatCompletion);
  const streamEvents = chatStream(30, true).split(/(?<=\n\n)/).map((e) => Buffer.from(e));
  const embeddingsJson = Buffer.from(embeddings(94, 1536));
  const embeddingsGzip = zlib.gzipSync(embeddingsJson);
  const bigJson = Buffer.from(embeddings(376, 1536));
  const bigGzip = zlib.gzipSync(bigJson);
  return [
    message('chat', `non-streamed chat completion, ${chat.length} B JSON, identity, one chunk`, '/v1/chat/completions', 'application/json', undefined, [chat], 'call'),
    message('chat-gzip', `the same chat completion, gzip (${zlib.gzipSync(chat).length} B), one chunk`, '/v1/chat/completions', 'application/json', 'gzip', [zlib.gzipSync(chat)], 'call'),
    message('stream', `streamed chat, 30 content chunks with usage: ${streamEvents.length} SSE events, one per body chunk`, '/v1/chat/completions', 'text/event-stream; charset=utf-8', undefined, streamEvents, 'chunk'),
    message('embeddings-3mb-gzip', `embeddings, ${(embeddingsJson.length / 1e6).toFixed(1)} MB JSON, gzip (${(embeddingsGzip.length / 1e6).toFixed(1)} MB) in 64 KiB chunks`, '/v1/embeddings', 'application/json', 'gzip', split(embeddingsGzip, 64 * 1024), 'call'),
    // Four times the bytes: past the cap on decoded bytes, the cost must not grow with them.
    message('embeddings-12mb-gzip', `embeddings, ${(bigJson.length / 1e6).toFixed(1)} MB JSON, gzip (${(bigGzip.length / 1e6).toFixed(1)} MB) in 64 KiB chunks`, '/v1/embeddings', 'application/json', 'gzip', split(bigGzip, 64 * 1024), 'call'),
  ];
}
