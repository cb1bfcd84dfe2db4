/**
 * The package as a user gets it: `npm pack` of this repository, installed from the tarball into
 * a fresh project next to the packages a user's app would have, and apps run there with the
 * Node the tests run on.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const root = fileURLToPath(new URL('../..', import.meta.url));
export const PACKAGE = 'opentelemetry-instrumentation-openai-http';

/** The version of a package installed in this repository (what `npm ci` put in the npm cache). */
export const installedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** `npm pack` into `dir`; resolves the tarball's path. Needs a built dist/. */
export async function packPackage(dir: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root });
  return join(dir, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
}

export interface ConsumerOptions {
  /** Extra dependencies, name -> version or range (`npm:undici@7.30.2` aliases work). */
  dependencies: Record<string, string>;
  /** Files copied into the project's root, e.g. the apps under test/fixtures/consumer. */
  files?: string[];
  /** `--prefer-offline` (default): what the repository's own install cached; false asks the registry. */
  preferOffline?: boolean;
}

/** A fresh project at `dir` with the tarball and `dependencies` installed; resolves `dir`. */
export async function installConsumer(dir: string, tarball: string, options: ConsumerOptions): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const dependencies = { [PACKAGE]: `file:${tarball}`, ...options.dependencies };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies }));
  for (const file of options.files ?? []) cpSync(file, join(dir, file.split('/').pop()!));
  const offline = options.preferOffline === false ? [] : ['--prefer-offline'];
  await run('npm', ['install', ...offline, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, timeout: 240_000 });
  return dir;
}

export interface AppRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the app printing `called` (its work done) to the process exiting. */
  msAfterCalled: number | undefined;
}

/** Runs `node ...args` in `cwd` with only PATH and `env`; killed after `timeoutMs`. */
export function runNode(cwd: string, args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<AppRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let calledAt: number | undefined;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (calledAt === undefined && stdout.includes('called')) calledAt = performance.now();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const msAfterCalled = calledAt === undefined ? undefined : performance.now() - calledAt;
      resolve({ code, signal, stdout, stderr, msAfterCalled });
    });
  });
}
