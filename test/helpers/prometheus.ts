import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { builtProgram } from './stack-binaries.ts';

/**
 * A real Prometheus server for tests (Prometheus 3 as `npm run stack:build` builds it; Debian's
 * 2.x `prometheus` package only where Go is missing), on a free 127.0.0.1 port with its own
 * temporary data directory, plus a small client for its HTTP API.
 * https://prometheus.io/docs/prometheus/latest/querying/api/
 */

/** A Prometheus relabel rule, as in `metric_relabel_configs` (snake_case keys, as in the YAML). */
export interface RelabelConfig {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep';
}

export interface ScrapeJob {
  readonly job: string;
  /** `host:port` of each target; the path is `/metrics`. */
  readonly targets: readonly string[];
  /** Applied to every scraped sample, e.g. to rename series. */
  readonly metricRelabelConfigs?: readonly RelabelConfig[];
}

export interface PrometheusOptions {
  /** A whole configuration (e.g. a shipped prometheus.yml); then the options below are ignored. */
  readonly config?: Record<string, unknown>;
  /** The port to listen on (e.g. one a config file already names); default: a free one. */
  readonly port?: number;
  readonly scrapeJobs?: readonly ScrapeJob[];
  /** Rule files (absolute paths), loaded as they are. */
  readonly ruleFiles?: readonly string[];
  /** @default 1 */
  readonly scrapeIntervalSeconds?: number;
  /** @default 1 */
  readonly evaluationIntervalSeconds?: number;
  /** @default 20_000 */
  readonly startTimeoutMs?: number;
}

export interface Sample {
  readonly metric: Record<string, string>;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly value: number;
}

export interface RangeSeries {
  readonly metric: Record<string, string>;
  readonly values: ReadonlyArray<{ readonly time: number; readonly value: number }>;
}

export interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: 'pending' | 'firing';
  /** RFC 3339: when the alert became pending. */
  readonly activeAt: string;
  readonly value: string;
}

export interface PrometheusTarget {
  readonly labels: Record<string, string>;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
}

export interface PrometheusRule {
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly health: string;
  readonly lastError?: string;
}

export interface PrometheusServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The temporary directory holding the config and the TSDB; removed by `stop()`. */
  readonly dir: string;
  /** Instant query; `time` in seconds since the epoch (default: now). */
  query(expr: string, time?: number): Promise<Sample[]>;
  /** Range query over [start, end] (seconds since the epoch), one point per `stepSeconds`. */
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<RangeSeries[]>;
  /** Active alerts (pending and firing). */
  alerts(): Promise<PrometheusAlert[]>;
  rules(): Promise<PrometheusRule[]>;
  targets(): Promise<PrometheusTarget[]>;
  /** Resolves once every configured target was scraped successfully. */
  waitForTargetsUp(timeoutMs?: number): Promise<void>;
  /** Polls `probe` until it returns something other than undefined. */
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs?: number, intervalMs?: number): Promise<T>;
  /** What Prometheus logged so far (for failure messages). */
  logs(): string;
  /** Stops it and starts it again on the same port, config and TSDB; resolves once ready. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where a tool is, and whether a test that needs it should be skipped. */
export interface ToolRequirement {
  readonly path: string | undefined;
  /** Missing outside CI: skip. Missing in CI: don't skip, fail (see `assertFound`). */
  readonly skip: boolean;
  /** Why it is missing, for the skip or failure message. */
  readonly missing: string | undefined;
}

const fallbackAnnounced = new Set<string>();

/**
 * Finds `name` (`prometheus`, `promtool`): the Prometheus 3 build in .stack/bin, else (no Go to
 * build it) one on PATH, e.g. Debian's 2.x, with one loud line. Tests skip when neither is there,
 * with a clear message, but must fail in CI (`CI` set), where `.ci/run` builds it.
 */
export function requireTool(name: 'prometheus' | 'promtool'): ToolRequirement {
  const built = builtProgram(name);
  if (built !== undefined) return { path: built, skip: false, missing: undefined };
  const found = findOnPath(name);
  if (found !== undefined) {
    if (!fallbackAnnounced.has(name)) {
      fallbackAnnounced.add(name);
      console.warn(`USING ${found} FROM PATH, not the Prometheus 3 the stack runs: run \`npm run stack:build\` (needs Go) to test with it`);
    }
    return { path: found, skip: false, missing: undefined };
  }
  const missing = `${name} not built and not on PATH: run \`npm run stack:build\` (needs Go >= 1.26), or install Debian's "prometheus" package`;
  const skip = !process.env['CI'];
  if (skip) console.warn(`skipping tests that need ${name}: ${missing}`);
  return { path: undefined, skip, missing };
}

/** In CI a missing tool is a failure, not a skip. */
export function assertFound(tool: ToolRequirement): string {
  if (tool.path === undefined) throw new Error(tool.missing);
  return tool.path;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const MAX_LOG_CHARS = 64 * 1024;

/** Starts Prometheus and resolves once it is ready (`/-/ready`). Call `stop()` in teardown. */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const binary = assertFound(requireTool('prometheus'));
  const dir = await mkdtemp(path.join(tmpdir(), 'prometheus-test-'));
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(configFile, stringify(options.config ?? prometheusConfig(options)));
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const log = new LogTail();
  // Another process may grab the free port before Prometheus binds it: retry with a new one.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      const running = await launch(binary, dir, configFile, port, timeoutMs, log);
      return client(`http://127.0.0.1:${port}`, port, dir, running, () => launch(binary, dir, configFile, port, timeoutMs, log), log);
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

function prometheusConfig(options: PrometheusOptions): Record<string, unknown> {
  const scrape = `${options.scrapeIntervalSeconds ?? 1}s`;
  return {
    global: {
      scrape_interval: scrape,
      scrape_timeout: scrape,
      evaluation_interval: `${options.evaluationIntervalSeconds ?? 1}s`,
    },
    rule_files: [...(options.ruleFiles ?? [])],
    scrape_configs: (options.scrapeJobs ?? []).map((job) => ({
      job_name: job.job,
      static_configs: [{ targets: [...job.targets] }],
      ...(job.metricRelabelConfigs ? { metric_relabel_configs: [...job.metricRelabelConfigs] } : {}),
    })),
  };
}

/** What the server printed, the last MAX_LOG_CHARS, across restarts. */
class LogTail {
  private text = '';
  append(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-MAX_LOG_CHARS);
  }
  toString(): string {
    return this.text;
  }
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

async function launch(binary: string, dir: string, configFile: string, port: number, timeoutMs: number, log: LogTail): Promise<Running> {
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const append = (chunk: Buffer): void => log.append(chunk);
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => log.append(String(error)));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}):\n${log}`);
    if (await isReady(url)) break;
    if (Date.now() > deadline) {
      await kill(child, exited);
      throw new Error(`prometheus not ready after ${timeoutMs} ms:\n${log}`);
    }
    await sleep(50);
  }
  return { child, exited };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}

function client(url: string, port: number, dir: string, first: Running, relaunch: () => Promise<Running>, log: LogTail): PrometheusServer {
  let running = first;
  const logs = (): string => log.toString();
  const api = async <T>(pathname: string, params: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${url}${pathname}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as ApiResponse<T>;
    if (body.status !== 'success') throw new Error(`prometheus ${pathname} ${JSON.stringify(params)}: ${body.errorType}: ${body.error}`);
    return body.data;
  };
  let stopping: Promise<void> | undefined;
  const server: PrometheusServer = {
    url,
    port,
    dir,
    async query(expr, time) {
      const params: Record<string, string> = { query: expr };
      if (time !== undefined) params['time'] = String(time);
      const data = await api<{ resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }>('/api/v1/query', params);
      if (data.resultType !== 'vector') throw new Error(`expected a vector from ${expr}, got ${data.resultType}`);
      return data.result.map((r) => ({ metric: r.metric, time: r.value[0], value: Number(r.value[1]) }));
    },
    async queryRange(expr, start, end, stepSeconds) {
      const data = await api<{ result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>('/api/v1/query_range', {
        query: expr,
        start: String(start),
        end: String(end),
        step: String(stepSeconds),
      });
      return data.result.map((r) => ({ metric: r.metric, values: r.values.map(([time, value]) => ({ time, value: Number(value) })) }));
    },
    async alerts() {
      return (await api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts;
    },
    async rules() {
      const data = await api<{ groups: Array<{ rules: PrometheusRule[] }> }>('/api/v1/rules');
      return data.groups.flatMap((g) => g.rules);
    },
    async targets() {
      return (await api<{ activeTargets: PrometheusTarget[] }>('/api/v1/targets')).activeTargets;
    },
    async waitForTargetsUp(timeoutMs = 15_000) {
      await server.waitFor(
        'all scrape targets up',
        async () => {
          const targets = await server.targets();
          return targets.length > 0 && targets.every((t) => t.health === 'up') ? true : undefined;
        },
        timeoutMs,
      );
    },
    async waitFor(what, probe, timeoutMs = 15_000, intervalMs = 100) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nprometheus log:\n${logs()}`);
        await sleep(intervalMs);
      }
    },
    logs,
    async restart() {
      if (stopping) throw new Error('prometheus was stopped');
      await kill(running.child, running.exited);
      running = await relaunch();
    },
    stop() {
      stopping ??= (async () => {
        await kill(running.child, running.exited);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
  return server;
}
