import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A long-running program a test starts, stops and restarts with the same arguments. */
export interface ManagedProcess {
  readonly name: string;
  /** Still running (started and not exited). */
  running(): boolean;
  /** Starts it again with the same command, environment and ports; resolves once ready. */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
  /** What it printed, the last 64 KiB, across restarts. */
  logs(): string;
}

export interface ManagedProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Resolves true once the program serves what the test needs (e.g. a health URL answers). */
  readonly ready: () => Promise<boolean>;
  /** @default 30_000 */
  readonly readyTimeoutMs?: number;
}

const MAX_LOG_CHARS = 64 * 1024;

/** Starts `options.command` and resolves once `options.ready()` holds. Call `stop()` in teardown. */
export async function startManagedProcess(options: ManagedProcessOptions): Promise<ManagedProcess> {
  let log = '';
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const alive = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;

  const stop = async (): Promise<void> => {
    if (!child || !alive()) return;
    const current = child;
    current.kill('SIGTERM');
    const timer = setTimeout(() => current.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const start = async (): Promise<void> => {
    if (alive()) throw new Error(`${options.name} is already running`);
    const current = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: { PATH: process.env['PATH'] ?? '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = current;
    exited = once(current, 'exit');
    const append = (chunk: Buffer): void => {
      log = (log + chunk.toString()).slice(-MAX_LOG_CHARS);
    };
    current.stdout?.on('data', append);
    current.stderr?.on('data', append);
    current.once('error', (error) => append(Buffer.from(`${String(error)}\n`)));
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!alive()) throw new Error(`${options.name} exited (${current.exitCode ?? current.signalCode}) before it was ready:\n${log}`);
      if (await options.ready()) return;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${options.name} not ready after ${timeoutMs} ms:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  await start();
  return { name: options.name, running: alive, start, stop, logs: () => log };
}

/** True if GET `url` answers 2xx within a second. */
export async function answersOk(url: string, headers?: Record<string, string>): Promise<boolean> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
