import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from './prometheus.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rampApp = fileURLToPath(new URL('../fixtures/apps/ramp.mjs', import.meta.url));
/** The package's register entry point, resolved as a user's app resolves it (needs `npm run build`). */
const REGISTER = 'opentelemetry-instrumentation-openai-http/register';

/** An event a replica printed (see test/fixtures/apps/ramp.mjs). */
export interface ReplicaEvent {
  readonly event: 'ready' | '429' | 'error' | 'stopped';
  readonly at?: number;
  readonly message?: string;
  readonly sent?: number;
  readonly ok?: number;
  readonly limited?: number;
  readonly failed?: number;
  /** OpenAI error codes of the 429s, counted (test/fixtures/apps/burst.mjs). */
  readonly codes?: Record<string, number>;
}

export interface Replica {
  readonly index: number;
  /** `127.0.0.1:PORT` of its Prometheus exporter, for a scrape config; '' when it exports OTLP. */
  readonly target: string;
  readonly events: ReplicaEvent[];
  send(command: Record<string, unknown>): void;
  waitFor(event: ReplicaEvent['event'], timeoutMs: number): Promise<ReplicaEvent>;
  stderr(): string;
}

export interface Replicas {
  readonly list: readonly Replica[];
  readonly targets: string[];
  /** Sends the same command to every replica, adding its `index` and the replica count. */
  broadcast(command: Record<string, unknown>): void;
  /** The first `event` any replica printed, with the replica's index. */
  waitForAny(event: ReplicaEvent['event'], timeoutMs: number): Promise<ReplicaEvent & { replica: number }>;
  kill(): Promise<void>;
}

/** Instead of a Prometheus exporter per replica: the register entry point, OTLP to a Collector. */
export interface OtlpExport {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. the Collector's OTLP/HTTP receiver. */
  readonly endpoint: string;
  /** `OTEL_METRIC_EXPORT_INTERVAL` in ms. */
  readonly metricIntervalMs: number;
}

/**
 * Starts `count` replicas of the ramp app (each its own process with its own Prometheus
 * exporter port, or exporting OTLP under the register entry point), all pointed at one
 * OpenAI-compatible base URL with one API key, i.e. one shared quota. Resolves once every
 * replica is ready.
 */
export async function startReplicas(
  count: number,
  env: {
    baseUrl: string;
    apiKey: string;
    model?: string;
    otlp?: OtlpExport;
    /** Another app of test/fixtures/apps/ that speaks the same stdin/stdout protocol. @default ramp.mjs */
    app?: string;
  },
): Promise<Replicas> {
  const list: Array<Replica & { child: ChildProcessWithoutNullStreams; exited: Promise<void> }> = [];
  for (let index = 0; index < count; index++) {
    const port = env.otlp ? undefined : await freePort();
    const telemetry: Record<string, string> = env.otlp
      ? { OTEL_EXPORTER_OTLP_ENDPOINT: env.otlp.endpoint, OTEL_METRIC_EXPORT_INTERVAL: String(env.otlp.metricIntervalMs) }
      : { METRICS_PORT: String(port) };
    const child = spawn(process.execPath, [...(env.otlp ? ['--import', REGISTER] : []), env.app ?? rampApp], {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '',
        OPENAI_BASE_URL: env.baseUrl,
        OPENAI_API_KEY: env.apiKey,
        MODEL: env.model ?? 'gpt-4o-mini',
        OTEL_SERVICE_NAME: 'ramp-app',
        // Metrics only: to the Prometheus exporter or the Collector; nothing leaves 127.0.0.1.
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        ...telemetry,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const events: ReplicaEvent[] = [];
    const waiters = new Set<() => void>();
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        events.push(JSON.parse(line) as ReplicaEvent);
      } catch {
        events.push({ event: 'error', message: `unparseable output: ${line}` });
      }
      for (const wake of waiters) wake();
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-16_384);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    list.push({
      index,
      target: port === undefined ? '' : `127.0.0.1:${port}`,
      events,
      child,
      exited,
      send(command) {
        child.stdin.write(`${JSON.stringify(command)}\n`);
      },
      waitFor(event, timeoutMs) {
        return new Promise((resolve, reject) => {
          const check = (): void => {
            const found = events.find((e) => e.event === event);
            if (found) {
              done();
              resolve(found);
            } else if (child.exitCode !== null || child.signalCode !== null) {
              done();
              reject(new Error(`replica ${index} exited before "${event}":\n${stderr}`));
            }
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`replica ${index}: no "${event}" within ${timeoutMs} ms:\n${stderr}`));
          }, timeoutMs);
          const done = (): void => {
            clearTimeout(timer);
            waiters.delete(check);
            child.off('exit', check);
          };
          waiters.add(check);
          child.once('exit', check);
          check();
        });
      },
      stderr: () => stderr,
    });
  }
  const replicas: Replicas = {
    list,
    targets: list.map((r) => r.target),
    broadcast(command) {
      for (const replica of list) replica.send({ ...command, index: replica.index, replicas: list.length });
    },
    async waitForAny(event, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hits = list.flatMap((r) => r.events.filter((e) => e.event === event).map((e) => ({ ...e, replica: r.index })));
        if (hits.length > 0) return hits.reduce((a, b) => ((a.at ?? Infinity) <= (b.at ?? Infinity) ? a : b));
        const dead = list.find((r) => r.child.exitCode !== null || r.child.signalCode !== null);
        if (dead) throw new Error(`replica ${dead.index} exited while waiting for "${event}":\n${dead.stderr()}`);
        if (Date.now() > deadline) throw new Error(`no replica printed "${event}" within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async kill() {
      await Promise.all(
        list.map(async (r) => {
          if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
          const timer = setTimeout(() => r.child.kill('SIGKILL'), 5_000);
          await r.exited;
          clearTimeout(timer);
        }),
      );
    },
  };
  try {
    await Promise.all(list.map((r) => r.waitFor('ready', 20_000)));
  } catch (error) {
    await replicas.kill();
    throw error;
  }
  return replicas;
}
