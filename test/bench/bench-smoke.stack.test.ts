import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PEER_VARIANTS } from '../../bench/peers/variants.ts';
import { VARIANTS } from '../../bench/variants/index.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

describe('npm run bench -- --quick', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every variant and every part, and writes JSON with all of them and the targets', async () => {
    const out = join(dir, 'quick.json');
    // The sources, not dist/: the smoke test must not depend on (or race) a build.
    await run(process.execPath, ['bench/main.ts', '--quick', '--out', out], {
      env: { ...process.env, BENCH_LIB: 'src' },
      timeout: 290_000,
    });
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      quick: boolean;
      variants: Array<{ id: string; errors: number; spansExported: number; requestsPerSecond: { median: number } }>;
      ab: Array<{ variant: string; throughputRatio: number }>;
      soak: { checkpoints: unknown[] };
      handlerCost: { cases: Array<{ id: string; addedCpuUs: number }>; metricsExported: string[]; bodyReading: Array<{ id: string; oursUs: number }> };
      parts: { parts: Array<{ id: string }> };
      targets: Array<{ id: string; met: boolean }>;
      peers: Array<{
        id: string;
        spans: number;
        versions: Record<string, string>;
        workloads: Record<'chat' | 'stream', { errors: number; cpu: { median: number }; added?: { median: number } }>;
      }>;
    };
    expect(result.quick).toBe(true);
    expect(result.variants.map((v) => v.id)).toEqual(VARIANTS.map((v) => v.id));
    for (const v of result.variants) {
      expect(v.errors, v.id).toBe(0);
      expect(v.requestsPerSecond.median, v.id).toBeGreaterThan(0);
      expect(v.spansExported > 0, v.id).toBe(VARIANTS.find((x) => x.id === v.id)!.expectsSpans);
    }
    expect(result.ab.map((a) => a.variant)).toEqual(['ours', 'undici', 'undici-headers', 'floor', 'floor-ours']);
    expect(result.soak.checkpoints.length).toBeGreaterThan(1);
    expect(result.handlerCost.cases.map((c) => c.id)).toEqual(
      expect.arrayContaining(['baseline', 'ours', 'ours-other-host', 'floor', 'floor-ours', 'undici', 'undici-headers']),
    );
    // Like for like: instrumentation-undici records its duration histogram on the same MeterProvider.
    expect(result.handlerCost.metricsExported).toEqual(expect.arrayContaining(['http.client.request.duration', 'gen_ai.client.operation.duration']));
    expect(result.handlerCost.bodyReading.map((b) => b.id)).toEqual(['chat', 'chat-gzip', 'stream', 'embeddings-3mb-gzip', 'embeddings-12mb-gzip']);
    for (const b of result.handlerCost.bodyReading) expect(Number.isFinite(b.oursUs), b.id).toBe(true);
    expect(result.parts.parts.map((p) => p.id)).toEqual(expect.arrayContaining(['headers-flat', 'headers-object', 'duration', 'attributes']));
    // End to end through the openai SDK: every variant on its major, both workloads, no failed call.
    expect(result.peers.map((p) => p.id)).toEqual(PEER_VARIANTS.map((v) => v.id));
    for (const peer of result.peers) {
      const variant = PEER_VARIANTS.find((v) => v.id === peer.id)!;
      expect(peer.versions['openai']?.split('.')[0], peer.id).toBe(String(variant.major));
      expect(peer.spans > 0, peer.id).toBe(variant.instrumenting !== 'none' && variant.instrumenting !== 'channels-floor');
      for (const workload of ['chat', 'stream'] as const) {
        expect(peer.workloads[workload].errors, `${peer.id} ${workload}`).toBe(0);
        expect(peer.workloads[workload].cpu.median, `${peer.id} ${workload}`).toBeGreaterThan(0);
        expect(peer.workloads[workload].added === undefined, `${peer.id} ${workload}`).toBe(variant.instrumenting === 'none');
      }
    }
    expect(result.targets.map((t) => t.id)).toEqual([
      'handler-cpu', 'throughput', 'floor-gap', 'body-chat', 'body-stream-chunk', 'body-flat-past-cap', 'other-hosts', 'heap-flat',
    ]);
  }, 300_000);
});
