/**
 * What reading a response body costs on top of the request (network-free, tinybench): the
 * reader's whole life for one body (create, push the wire chunks, finish), for a non-streamed
 * chat completion (identity, gzip, br), a 30-chunk streamed chat with usage (per SSE chunk),
 * and gzip embeddings responses of 3, 12 and 48 MB, whose cost must stop growing at the cap.
 * Each task runs a batch of bodies so the timer's own cost does not swamp the figure.
 *
 *   node_modules/.bin/node bench/micro/response-body.ts [--time 500] [--json]
 */
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { Bench } from 'tinybench';
import { createResponseBodyReader, MAX_DOCUMENT_BYTES } from '../../src/openai/response-body/index.ts';
import { chatCompletion, chatStream, embeddings } from '../../test/unit/openai/response-body/bodies.ts';

const { values } = parseArgs({ options: { time: { type: 'string', default: '500' }, json: { type: 'boolean', default: false } } });

interface BodyTask {
  id: string;
  description: string;
  contentType: string;
  contentEncoding: string | undefined;
  /** The body as the wire hands it over. */
  chunks: Buffer[];
  /** Bodies per timed call. */
  batch: number;
  /** What the figure is reported per: the body, or each of its chunks. */
  per: 'body' | 'chunk';
}

function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

const chat = Buffer.from(chatCompletion);
const stream = chatStream(30, true);
const streamEvents = stream.split(/(?<=\n\n)/).map((e) => Buffer.from(e));
/** About 3 MB and 12 MB of JSON floats, as a multi-input `encoding_format: float` request returns. */
const embeddings3 = zlib.gzipSync(Buffer.from(embeddings(94, 1536)));
const embeddings12 = zlib.gzipSync(Buffer.from(embeddings(376, 1536)));
const embeddings48Text = embeddings(1504, 1536);
const embeddings48 = zlib.gzipSync(Buffer.from(embeddings48Text));

const tasks: BodyTask[] = [
  { id: 'chat-identity', description: `chat completion, ${chat.length} B, identity, one chunk`, contentType: 'application/json', contentEncoding: undefined, chunks: [chat], batch: 200, per: 'body' },
  { id: 'chat-gzip', description: 'chat completion, gzip, one chunk', contentType: 'application/json', contentEncoding: 'gzip', chunks: [zlib.gzipSync(chat)], batch: 200, per: 'body' },
  { id: 'chat-br', description: 'chat completion, br, one chunk', contentType: 'application/json', contentEncoding: 'br', chunks: [zlib.brotliCompressSync(chat)], batch: 200, per: 'body' },
  { id: 'stream-identity', description: `30-chunk streamed chat with usage (${streamEvents.length} events, one per chunk), per chunk`, contentType: 'text/event-stream', contentEncoding: undefined, chunks: streamEvents, batch: 50, per: 'chunk' },
  { id: 'embeddings-3mb-gzip', description: `embeddings, ${(embeddings(94, 1536).length / 1e6).toFixed(1)} MB JSON, gzip, 64 KiB chunks`, contentType: 'application/json', contentEncoding: 'gzip', chunks: split(embeddings3, 64 * 1024), batch: 1, per: 'body' },
  { id: 'embeddings-12mb-gzip', description: `embeddings, ${(embeddings(376, 1536).length / 1e6).toFixed(1)} MB JSON, gzip, 64 KiB chunks`, contentType: 'application/json', contentEncoding: 'gzip', chunks: split(embeddings12, 64 * 1024), batch: 1, per: 'body' },
  { id: 'embeddings-48mb-gzip', description: `embeddings, ${(embeddings48Text.length / 1e6).toFixed(1)} MB JSON, gzip, 64 KiB chunks`, contentType: 'application/json', contentEncoding: 'gzip', chunks: split(embeddings48, 64 * 1024), batch: 1, per: 'body' },
];

function readAll(task: BodyTask): void {
  for (let b = 0; b < task.batch; b++) {
    const reader = createResponseBodyReader({ contentType: task.contentType, contentEncoding: task.contentEncoding, statusCode: 200 })!;
    for (const chunk of task.chunks) reader.push(chunk);
    if (reader.finish().responseModel === undefined && !task.id.startsWith('embeddings')) throw new Error(`${task.id}: no model read`);
  }
}

/**
 * Yardsticks from the same run, to read the figures against on a noisy machine: what
 * JSON.parse (native) costs for the same bytes, a body or an SSE chunk's data.
 */
const chatText = chat.toString();
const eventTexts = streamEvents.slice(0, -1).map((e) => e.toString().slice(6, -2));
let byteSum = 0;
function byteLoop(b: Buffer): void {
  let sum = 0;
  for (let i = 0; i < b.length; i++) sum += b[i]!;
  byteSum += sum;
}
const yardsticks: Array<{ id: string; description: string; batch: number; per: number; run: () => void }> = [
  { id: 'json-parse-chat', description: 'yardstick: JSON.parse of the chat completion text', batch: 200, per: 1, run: () => JSON.parse(chatText) },
  { id: 'json-parse-chunk', description: 'yardstick: JSON.parse of each SSE chunk\'s data, per chunk', batch: 50, per: eventTexts.length, run: () => eventTexts.forEach((t) => JSON.parse(t)) },
  // What this machine gives a bare JS loop over the chat completion's bytes (one load and add a byte).
  { id: 'byte-loop-chat', description: 'yardstick: a bare for loop over the chat completion bytes', batch: 200, per: 1, run: () => byteLoop(chat) },
];

const time = Number(values.time);
const bench = new Bench({ time, warmupTime: Math.min(200, time / 4) });
for (const task of tasks) bench.add(task.id, () => readAll(task));
for (const y of yardsticks) {
  bench.add(y.id, () => {
    for (let b = 0; b < y.batch; b++) y.run();
  });
}
await bench.run();

const yardstickRows = yardsticks.map((y) => {
  const r = bench.getTask(y.id)!.result as { latency?: { p50: number; mean: number } } | undefined;
  return { id: y.id, description: y.description, per: (y.per === 1 ? 'body' : 'chunk') as 'body' | 'chunk', p50Us: ((r?.latency?.p50 ?? NaN) * 1000) / (y.batch * y.per), meanUs: ((r?.latency?.mean ?? NaN) * 1000) / (y.batch * y.per) };
});
const rows = tasks.map((task) => {
  const t = bench.getTask(task.id)!;
  const r = t.result as { latency?: { p50: number; mean: number }; totalTime?: number } | undefined;
  const divisor = task.batch * (task.per === 'chunk' ? task.chunks.length : 1);
  return {
    id: task.id,
    description: task.description,
    per: task.per,
    p50Us: ((r?.latency?.p50 ?? NaN) * 1000) / divisor,
    meanUs: ((r?.latency?.mean ?? NaN) * 1000) / divisor,
  };
});
rows.push(...yardstickRows);
if (values.json) console.log(JSON.stringify({ kind: 'response-body', capBytes: MAX_DOCUMENT_BYTES, rows }, null, 2));
else {
  console.log(`decoded-bytes cap per document: ${MAX_DOCUMENT_BYTES} B`);
  for (const r of rows) console.log(`${r.id.padEnd(22)} median ${r.p50Us.toFixed(3).padStart(9)} µs per ${r.per.padEnd(5)} (mean ${r.meanUs.toFixed(3)})  ${r.description}`);
}
