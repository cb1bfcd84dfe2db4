import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from './prometheus.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = fileURLToPath(new URL('../fixtures/apps/load-profiles.mjs', import.meta.url));

/** A load profile one fleet of replicas runs against one quota (see load-profiles.mjs). */
export interface LoadProfile {
  readonly name: string;
  readonly model: string;
  readonly apiKey: string;
  /** [seconds since start, requests per second of the whole fleet]; held after the last point. */
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly maxSeconds: number;
  readonly arrivals: 'even' | 'poisson';
}

/** An event a replica printed. */
export interface LoadEvent {
  readonly event: 'ready' | '429' | 'error' | 'stopped';
  readonly replica: number;
  readonly profile?: string;
  readonly at?: number;
  readonly code?: string | null;
  readonly message?: string;
  readonly sent?: number;
  readonly ok?: number;
  readonly limited?: number;
  readonly failed?: number;
}

export interface LoadReplicas {
  /** `127.0.0.1:PORT` of each replica's Prometheus exporter (pull mode only). */
  readonly targets: string[];
  readonly events: LoadEvent[];
  /** Every replica runs every profile from `startAt`, each sending its share. */
  run(profiles: readonly LoadProfile[], startAt: number): void;
  stop(profile?: string): void;
  /** The earliest `event` of `profile` any replica printed, or undefined. */
  first(event: LoadEvent['event'], profile: string): LoadEvent | undefined;
  /** Resolves once every replica printed `stopped` for `profile`. */
  stopped(profile: string, timeoutMs: number): Promise<LoadEvent[]>;
  stderr(): string;
  kill(): Promise<void>;
}

export interface LoadReplicaOptions {
  readonly count: number;
  readonly baseUrl: string;
  readonly serviceName: string;
  /**
   * `pull`: each replica serves /metrics (a Prometheus exporter) for a direct scrape. Otherwise
   * the OTLP/HTTP endpoint the replicas push to through the register entry point, every
   * `exportIntervalMs`.
   */
  readonly metrics: 'pull' | { readonly otlpEndpoint: string; readonly exportIntervalMs: number };
}

/** Starts `count` replicas of load-profiles.mjs and resolves once each is ready. */
export async function startLoadReplicas(options: LoadReplicaOptions): Promise<LoadReplicas> {
  const events: LoadEvent[] = [];
  const children: Array<{ child: ChildProcessWithoutNullStreams; exited: Promise<void> }> = [];
  const targets: string[] = [];
  let stderr = '';
  for (let index = 0; index < options.count; index++) {
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      OPENAI_BASE_URL: options.baseUrl,
      OTEL_SERVICE_NAME: options.serviceName,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    };
    const args = [app];
    if (options.metrics === 'pull') {
      const port = await freePort();
      env['METRICS_PORT'] = String(port);
      targets.push(`127.0.0.1:${port}`);
    } else {
      args.unshift('--import', 'opentelemetry-instrumentation-openai-http/register');
      env['OTEL_EXPORTER_OTLP_ENDPOINT'] = options.metrics.otlpEndpoint;
      env['OTEL_METRIC_EXPORT_INTERVAL'] = String(options.metrics.exportIntervalMs);
      env['OTEL_METRIC_EXPORT_TIMEOUT'] = String(Math.min(1_000, options.metrics.exportIntervalMs));
    }
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        events.push({ ...(JSON.parse(line) as Omit<LoadEvent, 'replica'>), replica: index });
      } catch {
        events.push({ event: 'error', replica: index, message: `unparseable output: ${line}` });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-16_384);
    });
    children.push({ child, exited: new Promise((resolve) => child.once('exit', () => resolve())) });
  }
  const alive = (): void => {
    const dead = children.findIndex(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (dead >= 0) throw new Error(`replica ${dead} exited:\n${stderr}`);
  };
  const send = (command: Record<string, unknown>, index: number): void => {
    children[index]?.child.stdin.write(`${JSON.stringify(command)}\n`);
  };
  const replicas: LoadReplicas = {
    targets,
    events,
    run(profiles, startAt) {
      for (let index = 0; index < children.length; index++) send({ cmd: 'run', startAt, index, replicas: children.length, profiles }, index);
    },
    stop(profile) {
      for (let index = 0; index < children.length; index++) send({ cmd: 'stop', profile }, index);
    },
    first(event, profile) {
      return events.filter((e) => e.event === event && e.profile === profile).reduce<LoadEvent | undefined>((a, b) => (a && (a.at ?? 0) <= (b.at ?? 0) ? a : b), undefined);
    },
    async stopped(profile, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const done = events.filter((e) => e.event === 'stopped' && e.profile === profile);
        if (done.length === children.length) return done;
        alive();
        if (Date.now() > deadline) throw new Error(`${profile}: ${done.length}/${children.length} replicas stopped within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stderr: () => stderr,
    async kill() {
      await Promise.all(
        children.map(async ({ child, exited }) => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
  const deadline = Date.now() + 20_000;
  while (events.filter((e) => e.event === 'ready').length < children.length) {
    try {
      alive();
      if (Date.now() > deadline) throw new Error(`replicas not ready within 20 s:\n${stderr}`);
    } catch (error) {
      await replicas.kill();
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return replicas;
}
