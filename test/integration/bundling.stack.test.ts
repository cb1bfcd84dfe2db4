/**
 * The README's "Bundling" recipes, run as written: apps installed from the packed tarball, bundled
 * with esbuild (ES module and CommonJS output) and webpack, and the bundles started with node.
 * Each must still send its chat call's span to the Collector.
 *
 * Needs `npm`, a built dist/ and the npm cache the repository's own install filled. About 90 s,
 * webpack most of it, so it is a stack test (`npm run test:stack`, once, on Node 24): the bundles
 * do not depend on the Node version that runs them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import webpack, { type Configuration } from 'webpack';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { installConsumer, installedVersion, PACKAGE, packPackage, root, runNode } from '../helpers/consumer-app.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

const exec = promisify(execFile);
const esbuild = join(root, 'node_modules/.bin/esbuild');
const fixture = (name: string): string => join(root, 'test/fixtures/consumer', name);

/** The README's esbuild flags, per output format. */
const ESBUILD_FLAGS = {
  esm: ['--bundle', '--platform=node', '--format=esm', "--banner:js=import { createRequire as topLevelCreateRequire } from 'node:module'; const require = topLevelCreateRequire(import.meta.url);"],
  cjs: ['--bundle', '--platform=node', '--format=cjs', '--define:import.meta.url=__importMetaUrl', "--banner:js=const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;"],
} as const;

/** The README's webpack configuration, per output format. */
function webpackConfig(app: string, entry: string, format: 'esm' | 'cjs'): Configuration {
  const esm = format === 'esm';
  return {
    mode: 'production',
    target: 'node',
    context: app,
    entry: join(app, entry),
    output: { path: join(app, 'dist'), filename: `${entry}.webpack.${esm ? 'mjs' : 'cjs'}`, module: esm, library: { type: esm ? 'module' : 'commonjs2' } },
    experiments: { outputModule: esm },
    optimization: { minimize: false },
  };
}

function runWebpack(config: Configuration): Promise<string> {
  return new Promise((resolve, reject) => {
    webpack(config, (error, stats) => {
      if (error || !stats) return reject(error ?? new Error('webpack gave no stats'));
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve(join(config.output!.path!, config.output!.filename as string));
    });
  });
}

describe('bundled apps, from the packed tarball', () => {
  let base: string;
  let app: string;
  let sim: Simulator;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'bundling-'));
    const tarball = await packPackage(base);
    app = await installConsumer(join(base, 'app'), tarball, {
      dependencies: {
        '@opentelemetry/api': installedVersion('@opentelemetry/api'),
        '@opentelemetry/sdk-node': installedVersion('@opentelemetry/sdk-node'),
        openai: installedVersion('openai'),
      },
      files: ['bundle-own-sdk.mjs', 'bundle-register.mjs', 'chat.mjs', 'chat.cjs'].map(fixture),
    });
  }, 300_000);
  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  beforeEach(async () => {
    sim = await startSimulator();
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
    await sim.close();
  });

  async function expectOneSpan(bundle: string, nodeArgs: string[] = []): Promise<void> {
    const run = await runNode(app, [...nodeArgs, bundle], {
      OPENAI_BASE_URL: sim.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('called');
    const spans = receiver.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.span.name).toMatch(/^chat/);
    expect(spans[0]!.attributes['openai.request.id']).toMatch(/^req_/);
  }

  async function esbuildBundle(entry: string, format: 'esm' | 'cjs'): Promise<string> {
    const outfile = join(app, 'dist', `${entry}.esbuild.${format === 'esm' ? 'mjs' : 'cjs'}`);
    await exec(esbuild, [entry, ...ESBUILD_FLAGS[format], `--outfile=${outfile}`, '--log-level=error'], { cwd: app });
    return outfile;
  }

  for (const format of ['esm', 'cjs'] as const) {
    it(`esbuild, ${format} output: an app with its own NodeSDK`, async () => {
      await expectOneSpan(await esbuildBundle('bundle-own-sdk.mjs', format));
    });
    it(`esbuild, ${format} output: an app that imports /register first (sdk-node stays in node_modules)`, async () => {
      await expectOneSpan(await esbuildBundle('bundle-register.mjs', format));
    });
    it(`webpack, ${format} output: an app with its own NodeSDK`, async () => {
      await expectOneSpan(await runWebpack(webpackConfig(app, 'bundle-own-sdk.mjs', format)));
    }, 120_000);
  }

  it('webpack, esm output: an app that imports /register first (sdk-node bundled)', async () => {
    await expectOneSpan(await runWebpack(webpackConfig(app, 'bundle-register.mjs', 'esm')));
  }, 120_000);

  // What the README says happens without its flags: when these start to pass, the SDK no longer
  // needs them and the README's recipe can shrink.
  it("esbuild without the README's flags: ES module output has no require, CommonJS output no import.meta.url", async () => {
    const bare = async (format: 'esm' | 'cjs'): Promise<string> => {
      const outfile = join(app, 'dist', `bundle-own-sdk.bare.${format === 'esm' ? 'mjs' : 'cjs'}`);
      await exec(esbuild, ['bundle-own-sdk.mjs', ...ESBUILD_FLAGS[format].slice(0, 3), `--outfile=${outfile}`, '--log-level=error'], { cwd: app });
      return (await runNode(app, [outfile], { OPENAI_BASE_URL: sim.url, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' })).stderr;
    };
    expect(await bare('esm')).toContain('Dynamic require of');
    expect(await bare('cjs')).toContain("The argument 'filename' must be a file URL object");
  });

  it('esbuild, an app bundled without OpenTelemetry, started with --import /register', async () => {
    const outfile = join(app, 'dist', 'chat.plain.mjs');
    await exec(esbuild, ['chat.mjs', '--bundle', '--platform=node', '--format=esm', `--outfile=${outfile}`, '--log-level=error'], { cwd: app });
    await expectOneSpan(outfile, ['--import', `${PACKAGE}/register`]);
  });
});
