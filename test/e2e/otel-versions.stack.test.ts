/**
 * The packed package next to the OpenTelemetry releases at both ends of its peer ranges: the
 * newest `@opentelemetry/sdk-node` and `@opentelemetry/api` the npm registry calls `latest`
 * today (a breaking release shows the day it ships), and the oldest it declares, sdk-node
 * 0.200.0 (SDK 2.0) with api 1.3.0. Each gets one chat call's span and a rate-limit gauge.
 *
 * Needs the npm registry, so it runs only with OTEL_VERSIONS_E2E=1, which `npm run test:stack`
 * sets (CI runs that on Node 24 and requires this file to have run).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { installConsumer, packPackage, root, runNode } from '../helpers/consumer-app.ts';

const run = promisify(execFile);
const enabled = process.env['OTEL_VERSIONS_E2E'] === '1';
const OLDEST = { '@opentelemetry/sdk-node': '0.200.0', '@opentelemetry/api': '1.3.0' };

async function latest(name: string): Promise<string> {
  const { stdout } = await run('npm', ['view', `${name}@latest`, 'version'], { timeout: 60_000 });
  return stdout.trim();
}

describe.runIf(enabled)('the packed package with the OpenTelemetry releases at both ends of its ranges', () => {
  let base: string;
  let sim: Simulator;
  const apps = new Map<string, { dir: string; versions: Record<string, string> }>();

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'otel-versions-'));
    const tarball = await packPackage(base);
    const newest = { '@opentelemetry/sdk-node': await latest('@opentelemetry/sdk-node'), '@opentelemetry/api': await latest('@opentelemetry/api') };
    const files = [join(root, 'test/fixtures/consumer/span-and-gauge.mjs')];
    const [latestDir, oldestDir] = await Promise.all([
      installConsumer(join(base, 'latest'), tarball, { dependencies: newest, files, preferOffline: false }),
      installConsumer(join(base, 'oldest'), tarball, { dependencies: OLDEST, files }),
    ]);
    apps.set('latest', { dir: latestDir, versions: newest }).set('oldest', { dir: oldestDir, versions: OLDEST });
    sim = await startSimulator();
  }, 480_000);
  afterAll(async () => {
    await sim?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  for (const which of ['latest', 'oldest']) {
    it(`${which} sdk-node and api: a CLIENT span and the requests-remaining gauge`, async () => {
      const app = apps.get(which)!;
      const result = await runNode(app.dir, ['span-and-gauge.mjs'], {
        SIM_URL: sim.url,
        // Its own key: the simulator keeps one rate-limit window per key and model.
        OPENAI_API_KEY: `sk-${which}`,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      });
      expect(result.code, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as { versions: { api: string; sdkNode: string }; spans: unknown[]; gauge: number[]; collectErrors: number };
      console.log(`${which}: sdk-node ${out.versions.sdkNode}, api ${out.versions.api}`);
      expect(out.versions).toEqual({ api: app.versions['@opentelemetry/api'], sdkNode: app.versions['@opentelemetry/sdk-node'] });
      expect(out.spans).toEqual([{ name: 'chat gpt-4o-mini', kind: 2, requestId: expect.stringMatching(/^req_/) as string }]);
      expect(out.gauge).toEqual([59]);
      expect(out.collectErrors).toBe(0);
    });
  }
});
