import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { repoPath, ROOT } from './stack-files.ts';

/** The package's register entry point, resolved as a user's app resolves it (needs `npm run build`). */
export const REGISTER = 'opentelemetry-instrumentation-openai-http/register';
const DEMO_APP = repoPath('test/stack/apps/demo-replica.ts');

/** A line test/stack/apps/demo-replica.ts printed. */
export interface DemoEvent {
  readonly event: 'iteration' | 'error';
  readonly index: number;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly at?: number;
  readonly message?: string;
}

export interface DemoReplica {
  readonly replica: number;
  readonly events: DemoEvent[];
  running(): boolean;
  iterations(): DemoEvent[];
  errors(): DemoEvent[];
  stop(): Promise<void>;
}

/**
 * One replica of the demo workload under `node --import <package>/register`, with the
 * environment the compose `demo` service has (`env`).
 */
export function startDemoReplica(replica: number, env: Readonly<Record<string, string>>, log: (line: string) => void): DemoReplica {
  const child: ChildProcess = spawn(process.execPath, ['--import', REGISTER, DEMO_APP], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const events: DemoEvent[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as DemoEvent);
    } catch {
      log(`[demo-${replica}] ${line}`);
    }
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => log(`[demo-${replica}] ${line}`));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    replica,
    events,
    running,
    iterations: () => events.filter((e) => e.event === 'iteration'),
    errors: () => events.filter((e) => e.event === 'error'),
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
