/**
 * Every way an app starts this package, tried from the packed tarball in a fresh project on the
 * Node the tests run on (CI: 22, 24 and 26): `--require` and `--import` of `/register` for
 * CommonJS and ES module apps, `require()` of it, an app's own npm `undici` 7 or 8 with the
 * NodeSDK loaded first, and the exit bound when no Collector listens.
 *
 * Needs `npm`, a built dist/ and the npm cache the repository's own install filled (the project
 * installs the same versions with --prefer-offline).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { installConsumer, installedVersion, PACKAGE, packPackage, root, runNode } from '../helpers/consumer-app.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

const fixture = (name: string): string => join(root, 'test/fixtures/consumer', name);
const REGISTER = `${PACKAGE}/register`;
const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number) as [number, number];
/** npm undici 8 declares Node >= 22.19. */
const undici8Runs = nodeMajor > 22 || nodeMinor >= 19;

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('apps started from the packed tarball', () => {
  let base: string;
  let app: string;
  let sim: Simulator;
  let receiver: OtlpReceiver;
  let env: Record<string, string>;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'register-setups-'));
    const tarball = await packPackage(base);
    app = await installConsumer(join(base, 'app'), tarball, {
      dependencies: {
        '@opentelemetry/api': installedVersion('@opentelemetry/api'),
        '@opentelemetry/sdk-node': installedVersion('@opentelemetry/sdk-node'),
        openai: installedVersion('openai'),
        undici: installedVersion('undici'),
        'undici-v7': `npm:undici@${installedVersion('undici-v7')}`,
      },
      files: ['chat.cjs', 'chat.mjs', 'require-register.cjs', 'undici-calls.mjs', 'own-sdk-undici.mjs', 'own-sdk-undici.cjs'].map(fixture),
    });
  }, 300_000);
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  beforeEach(async () => {
    sim = await startSimulator();
    receiver = await startOtlpReceiver();
    env = {
      OPENAI_BASE_URL: sim.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    };
  });
  afterEach(async () => {
    await receiver.close();
    await sim.close();
  });

  const setups: Array<[string, string[]]> = [
    ['--require /register, a CommonJS app', ['--require', REGISTER, 'chat.cjs']],
    ['--import /register, a CommonJS app', ['--import', REGISTER, 'chat.cjs']],
    ['--import /register, an ES module app', ['--import', REGISTER, 'chat.mjs']],
    ["require('/register') on a CommonJS app's first line", ['require-register.cjs']],
  ];
  for (const [setup, args] of setups) {
    it(`${setup}: the chat call's span reaches the Collector and the app exits 0`, async () => {
      const run = await runNode(app, args, env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/ERR_REQUIRE_ASYNC_MODULE|ExperimentalWarning/);
      const spans = receiver.spans();
      expect(spans).toHaveLength(1);
      // Node 22's bundled fetch hides the request body, so there the span has no model.
      expect(spans[0]!.span.name).toMatch(/^chat( gpt-4o-mini)?$/);
      expect(spans[0]!.attributes['openai.request.id']).toMatch(/^req_/);
      expect(spans[0]!.attributes['openai.ratelimit.requests.remaining']).toBe(59);
    });
  }

  const undiciMajors = [
    ['undici-v7', true],
    ['undici', undici8Runs],
  ] as const;
  for (const [undici, runs] of undiciMajors) {
    const major = installedVersion(undici).split('.')[0];
    it.runIf(runs)(`--import /register with the app's npm undici ${major}: fetch, undici.fetch and undici.request get tokens and the response model`, async () => {
      const run = await runNode(app, ['--import', REGISTER, 'undici-calls.mjs'], { ...env, UNDICI_PKG: undici });
      expect(run.code, run.stderr).toBe(0);
      const spans = receiver.spans();
      expect(spans).toHaveLength(3);
      for (const { attributes } of spans) {
        expect(attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
        expect(attributes['gen_ai.response.model']).toMatch(/^gpt-4o-mini-/);
        expect(attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      }
    });

    for (const file of ['own-sdk-undici.mjs', 'own-sdk-undici.cjs']) {
      it.runIf(runs)(`its own NodeSDK loaded first (${file}), npm undici ${major}: every span gets tokens and the response model`, async () => {
        const run = await runNode(app, [file], { ...env, UNDICI_PKG: undici });
        expect(run.code, run.stderr).toBe(0);
        const spans = JSON.parse(run.stdout.trim().split('\n').pop()!) as Array<Record<string, unknown>>;
        expect(spans).toHaveLength(3);
        for (const attributes of spans) {
          expect(attributes['gen_ai.response.model']).toMatch(/^gpt-4o-mini-/);
          expect(attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
        }
      });
    }
  }

  // Without the bound the exporters retry an unreachable Collector for their 10 s timeout.
  for (const [setup, args] of [setups[2]!]) {
    it(`${setup}, no Collector listening: exits 0 within 5 s of the app's work being done`, async () => {
      const nowhere = `http://127.0.0.1:${await closedPort()}`;
      const run = await runNode(app, args, { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: nowhere, OTEL_METRICS_EXPORTER: 'otlp' });
      expect(run.code, run.stderr).toBe(0);
      expect(run.msAfterCalled).toBeDefined();
      expect(run.msAfterCalled!).toBeLessThan(5_000 + 1_500);
    });
  }
});
