import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './prometheus.ts';
import { loadCompose, ROOT, service, type ComposeService } from './stack-files.ts';

/**
 * The app half of docker-compose.yml without Docker: the `simulator` service and `demo`
 * replicas run as local processes with the commands and environment compose gives them; only
 * what names other containers is rewritten (simulator:8787 -> 127.0.0.1:PORT, collector:4318 ->
 * a local OTLP receiver), and, for Prometheus, metrics go to an exporter it can scrape.
 */
export interface DemoStackOptions {
  readonly replicas: number;
  /** Base URL of an OTLP/HTTP receiver for traces; undefined turns traces off. */
  readonly otlpEndpoint?: string;
  /** Per replica; undefined: the SDK default, http/protobuf, as in compose. */
  readonly otlpProtocol?: (replica: number) => 'http/json' | 'http/protobuf' | undefined;
  /** Serve metrics on a Prometheus exporter per replica (127.0.0.1, a free port). */
  readonly prometheusMetrics: boolean;
}

export interface DemoStack {
  /** The simulator's base URL (`http://127.0.0.1:PORT/v1`). */
  readonly simulatorUrl: string;
  /** The demo's OTEL_SERVICE_NAME from compose: the Collector makes it the `job` label. */
  readonly serviceName: string;
  /** `127.0.0.1:PORT` of each replica's Prometheus exporter. */
  readonly metricsTargets: string[];
  /** Everything the processes printed (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

interface Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
}

export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const services = loadCompose();
  const simulator = service(services, 'simulator');
  const demo = service(services, 'demo');
  let log = '';
  const procs: Proc[] = [];
  const start = (svc: ComposeService, env: Record<string, string>, label: string): { proc: Proc; output: () => string } => {
    const [command, ...args] = svc.command;
    if (command !== 'node') throw new Error(`${svc.name}: expected a node command, got ${svc.command.join(' ')}`);
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const append = (chunk: Buffer): void => {
      output += chunk.toString();
      log = (log + `[${label}] ${chunk.toString()}`).slice(-32_768);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const proc = { child, exited: once(child, 'exit') };
    procs.push(proc);
    return { proc, output: () => output };
  };
  const stop = async (): Promise<void> => {
    // Replicas first (they flush to the simulator's clients), the simulator last.
    for (const group of [procs.slice(1), procs.slice(0, 1)]) {
      await Promise.all(
        group.map(async ({ child, exited }) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    }
  };

  try {
    const sim = start(simulator, { ...simulator.environment, HOST: '127.0.0.1', PORT: '0' }, 'simulator');
    const simulatorUrl = await waitForOutput(sim, /listening on (http:\/\/\S+)/, 15_000, () => log);
    // compose: OPENAI_BASE_URL=http://simulator:8787/v1 -> the same path on the local simulator.
    const composeBase = new URL(required(demo.environment, 'OPENAI_BASE_URL'));
    const baseUrl = new URL(composeBase.pathname, new URL(simulatorUrl).origin).toString().replace(/\/$/, '');
    const metricsTargets: string[] = [];
    const replicas = [];
    for (let i = 0; i < options.replicas; i++) {
      const env: Record<string, string> = { ...demo.environment, OPENAI_BASE_URL: baseUrl };
      // The demo exports over OTLP only when an endpoint is set; with no receiver, traces are off.
      env['OTEL_EXPORTER_OTLP_ENDPOINT'] = options.otlpEndpoint ?? 'http://127.0.0.1:9';
      if (options.otlpEndpoint === undefined) env['OTEL_TRACES_EXPORTER'] = 'none';
      const protocol = options.otlpProtocol?.(i);
      if (protocol) env['OTEL_EXPORTER_OTLP_PROTOCOL'] = protocol;
      if (options.prometheusMetrics) {
        const port = await freePort();
        Object.assign(env, { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) });
        metricsTargets.push(`127.0.0.1:${port}`);
      } else {
        env['OTEL_METRICS_EXPORTER'] = 'none';
      }
      replicas.push(start(demo, env, `demo-${i}`));
    }
    await Promise.all(replicas.map((r) => waitForOutput(r, /(Exporting over OTLP) to/, 20_000, () => log)));
    await Promise.all(metricsTargets.map((target) => waitForHttp(`http://${target}/metrics`, 10_000)));
    return { simulatorUrl: baseUrl, serviceName: required(demo.environment, 'OTEL_SERVICE_NAME'), metricsTargets, logs: () => log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function required(env: Record<string, string>, name: string): string {
  const value = env[name];
  if (value === undefined) throw new Error(`docker-compose.yml: the demo service sets no ${name}`);
  return value;
}

async function waitForOutput(p: { proc: Proc; output: () => string }, pattern: RegExp, timeoutMs: number, logs: () => string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(p.output());
    if (match?.[1]) return match[1];
    if (p.proc.child.exitCode !== null || p.proc.child.signalCode !== null) throw new Error(`process exited before printing ${pattern}:\n${logs()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
