import { fork } from 'node:child_process';

export interface ChildOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Extra node flags (`--cpu-prof`, ...); `--expose-gc` is always there. */
  readonly execArgv?: readonly string[];
  readonly timeoutMs: number;
}

/**
 * Runs a bench script in a fresh Node process and resolves with the one message it sends
 * over IPC. Its stdout and stderr go to our stderr, so the table on stdout stays clean.
 */
export function runChild<T>(script: string, args: readonly string[], options: ChildOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [...args], {
      execArgv: ['--expose-gc', ...(options.execArgv ?? [])],
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
    let result: { value: T } | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')}: no result within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.once('message', (message) => {
      result = { value: message as T };
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) resolve(result.value);
      else reject(new Error(`${script} ${args.join(' ')} exited (${signal ?? code}) without a result`));
    });
  });
}

/** Starts the simulator in its own process; resolves with its base URL and a way to stop it. */
export function startSimulatorProcess(script: string): Promise<{ url: string; stop(): void }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before it listened`)));
    child.once('message', (message) => {
      const { url } = message as { url: string };
      child.removeAllListeners('exit');
      resolve({ url, stop: () => child.disconnect() });
    });
  });
}
