/**
 * The package as a user installs it: `npm pack`, then `npm install` of the tarball into fresh
 * apps, one that already has its own NodeSDK (the newest we develop against and the previous
 * minor) and one with no SDK at all. Each must end up with one copy of the OpenTelemetry
 * packages everyone shares, and the installed package must work there.
 *
 * Needs `npm` and the npm registry (or its cache: installs prefer the cache), and a built dist/.
 * npm's resolution does not depend on the Node version, so this runs once, on Node 24 (the
 * `npm test` of CI); INSTALL_SHAPE_TEST=1 runs it on any version.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { installedVersion, PACKAGE, packPackage, root } from '../helpers/consumer-app.ts';

const run = promisify(execFile);
const SHARED = ['@opentelemetry/api', '@opentelemetry/instrumentation'];

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

/** The SDK versions a user may have: the newest we develop against and the previous minor. */
const latestSdk = installedVersion('@opentelemetry/sdk-node');
const [major, minor] = latestSdk.split('.').map(Number) as [number, number];
const previousSdk = `${major}.${minor - 1}.0`;
const apiVersion = installedVersion('@opentelemetry/api');

const npmFound = (() => {
  try {
    execFileSync('npm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const distBuilt = existsSync(join(root, 'dist/register.js'));
const thisNodeRunsIt = process.versions.node.startsWith('24.') || process.env['INSTALL_SHAPE_TEST'] === '1';

interface App {
  dir: string;
  /** Every installed copy of a package, as `path@version`, from the lockfile npm wrote. */
  copies(name: string): string[];
  /** Every installed copy of a package, found by walking node_modules. */
  copiesOnDisk(name: string): string[];
}

async function installApp(base: string, name: string, tarball: string, extra: Record<string, string>): Promise<App> {
  const dir = join(base, name);
  mkdirSync(dir);
  const dependencies = { [PACKAGE]: `file:${tarball}`, ...extra };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, type: 'module', dependencies }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeout: 240_000 });
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  return {
    dir,
    copies: (pkgName) =>
      Object.entries(lock.packages)
        .filter(([path]) => path === `node_modules/${pkgName}` || path.endsWith(`/node_modules/${pkgName}`))
        .map(([path, entry]) => `${path}@${entry.version}`),
    copiesOnDisk: (pkgName) => findCopies(join(dir, 'node_modules'), pkgName),
  };
}

function findCopies(nodeModules: string, name: string): string[] {
  if (!existsSync(nodeModules)) return [];
  const found = existsSync(join(nodeModules, name, 'package.json')) ? [join(nodeModules, name)] : [];
  for (const entry of readdirSync(nodeModules)) {
    const dirs = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((e) => join(nodeModules, entry, e)) : [join(nodeModules, entry)];
    for (const d of dirs) found.push(...findCopies(join(d, 'node_modules'), name));
  }
  return found;
}

/** Runs ESM code in the app with the Node the tests run on. */
function node(app: App, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, args, { cwd: app.dir, timeout: 30_000, env: { PATH: process.env['PATH'] ?? '', ...env } }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout?: string; stderr?: string; code?: number }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '', code: error.code ?? -1 }),
  );
}

/** No OTLP metrics or logs to a Collector that isn't there: the app would wait on it at shutdown. */
const NO_DEFAULT_EXPORTERS = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

/** An app with its own NodeSDK and our instrumentation: one chat call, the span's name and attributes on stdout. */
const OWN_SDK_APP = `
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OpenAIHttpInstrumentation } from '${PACKAGE}';
const spans = [];
const traceExporter = { export(batch, done) { spans.push(...batch); done({ code: 0 }); }, shutdown: async () => {} };
const sdk = new NodeSDK({ traceExporter, instrumentations: [new OpenAIHttpInstrumentation({ endpoints: [process.env.SIM_URL] })] });
sdk.start();
const res = await fetch(process.env.SIM_URL + '/chat/completions', {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-install' },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
});
await res.text();
await sdk.shutdown();
console.log(JSON.stringify(spans.map((s) => ({ name: s.name, status: s.attributes['http.response.status_code'], id: s.attributes['openai.request.id'] }))));
`;

describe.skipIf(!npmFound || !distBuilt || !thisNodeRunsIt)('installed from the packed tarball', () => {
  let base: string;
  let sim: Simulator;
  const apps = new Map<string, App>();

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'install-shape-'));
    const tarball = await packPackage(base);
    const [latest, previous, bare] = await Promise.all([
      installApp(base, 'sdk-latest', tarball, { '@opentelemetry/sdk-node': latestSdk, '@opentelemetry/api': apiVersion }),
      installApp(base, 'sdk-previous', tarball, { '@opentelemetry/sdk-node': previousSdk, '@opentelemetry/api': apiVersion }),
      installApp(base, 'no-sdk', tarball, { '@opentelemetry/api': apiVersion }),
    ]);
    apps.set(latestSdk, latest).set(previousSdk, previous).set('none', bare);
    sim = await startSimulator();
  }, 300_000);

  afterAll(async () => {
    await sim?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it('accepts any SDK from sdk-node 0.200 (SDK 2.0) on, with no upper bound, as an optional peer', () => {
    expect(pkg.peerDependencies['@opentelemetry/sdk-node']).toBe('>=0.200.0');
    expect(pkg.peerDependenciesMeta['@opentelemetry/sdk-node']).toEqual({ optional: true });
  });

  for (const sdk of [latestSdk, previousSdk]) {
    it(`an app with its own NodeSDK gets one copy of the shared packages and a working span (sdk-node ${sdk})`, async () => {
      const app = apps.get(sdk)!;
      expect(app.copies('@opentelemetry/sdk-node')).toEqual([`node_modules/@opentelemetry/sdk-node@${sdk}`]);
      for (const name of SHARED) {
        expect(app.copies(name), name).toHaveLength(1);
        expect(app.copiesOnDisk(name), name).toHaveLength(1);
      }
      expect(app.copies('@opentelemetry/instrumentation')).toEqual([`node_modules/@opentelemetry/instrumentation@${sdk}`]);

      const { stdout, stderr, code } = await node(app, ['--input-type=module', '-e', OWN_SDK_APP], { SIM_URL: sim.url, ...NO_DEFAULT_EXPORTERS });
      expect(code, stderr).toBe(0);
      const spans = JSON.parse(stdout) as Array<{ name: string; status: number; id: string }>;
      expect(spans).toEqual([{ name: 'chat gpt-4o-mini', status: 200, id: expect.stringMatching(/^req_/) as string }]);
    });
  }

  it('an app with the latest NodeSDK starts it with --import .../register', async () => {
    const app = apps.get(latestSdk)!;
    const { stdout, stderr, code } = await node(app, ['--import', `${PACKAGE}/register`, '-e', 'console.log("app ran")'], {
      OTEL_TRACES_EXPORTER: 'none',
      ...NO_DEFAULT_EXPORTERS,
    });
    expect({ code, stdout: stdout.trim() }, stderr).toEqual({ code: 0, stdout: 'app ran' });
  });

  it('an app without an SDK installs no SDK, one copy of the shared packages, and loads the package', async () => {
    const app = apps.get('none')!;
    expect(app.copies('@opentelemetry/sdk-node')).toEqual([]);
    for (const name of SHARED) expect(app.copiesOnDisk(name), name).toHaveLength(1);
    const { stdout, stderr } = await node(app, ['--input-type=module', '-e', `import * as m from '${PACKAGE}'; console.log(typeof new m.OpenAIHttpInstrumentation().enable)`]);
    expect(stdout.trim(), stderr).toBe('function');
  });

  for (const flag of ['--import', '--require']) {
    it(`an app without sdk-node that uses ${flag} .../register stops before it runs, saying what to install`, async () => {
      const app = apps.get('none')!;
      const { stdout, stderr, code } = await node(app, [flag, `${PACKAGE}/register`, '-e', 'console.log("app ran")']);
      expect(code).not.toBe(0);
      expect(stdout).not.toContain('app ran');
      expect(stderr).toContain(`${PACKAGE}/register starts the OpenTelemetry NodeSDK, but @opentelemetry/sdk-node is not installed`);
      expect(stderr).toContain('npm install @opentelemetry/sdk-node');
    });
  }
});
