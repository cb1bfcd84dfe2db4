import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import * as semconv from '../../src/semconv.ts';
import { freePort } from '../helpers/prometheus.ts';
import { decodeAnyValue, startOtlpReceiver, type OtlpKeyValue, type OtlpReceiver, type ReceivedMetric } from '../helpers/otlp-receiver.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = fileURLToPath(new URL('../fixtures/apps/chat-once.mjs', import.meta.url));

/** Starts `node --import <package>/register app.mjs` (one chat call, then waits to be signalled). */
function startApp(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'opentelemetry-instrumentation-openai-http/register', app], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_LOGS_EXPORTER: 'none', OTEL_BSP_SCHEDULE_DELAY: '100', APP_WAIT: '1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
  return { child, exited };
}

interface GaugePoint {
  asInt?: string | number;
  asDouble?: number;
  attributes?: OtlpKeyValue[];
}

function gaugeValues(metrics: ReceivedMetric[], name: string): number[] {
  return metrics
    .filter((m) => m.name === name)
    .flatMap((m) => ((m.raw['gauge'] as { dataPoints?: GaugePoint[] } | undefined)?.dataPoints ?? []).map((p) => Number(p.asInt ?? p.asDouble)));
}

interface OtlpMetricsBody {
  resourceMetrics?: Array<{ scopeMetrics?: Array<{ metrics?: Array<{ name: string; histogram?: { aggregationTemporality?: number } }> }> }>;
}

function histogramTemporality(body: OtlpMetricsBody, name: string): number | undefined {
  for (const rm of body.resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      const found = sm.metrics?.find((m) => m.name === name);
      if (found) return found.histogram?.aggregationTemporality;
    }
  }
  return undefined;
}

describe('/register exports metrics over OTLP/HTTP', () => {
  let sim: Simulator;
  let receiver: OtlpReceiver;
  let running: { child: ChildProcess; exited: Promise<number | null> } | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ requestsPerWindow: 60 });
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    running = undefined;
    await receiver.close();
    await sim.close();
  });

  const baseEnv = (): Record<string, string> => ({
    OPENAI_BASE_URL: sim.url,
    OPENAI_API_KEY: 'sk-register-metrics',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'register-metrics-test',
  });

  it('sends the instruments every OTEL_METRIC_EXPORT_INTERVAL while the app runs', async () => {
    running = startApp({ ...baseEnv(), OTEL_METRIC_EXPORT_INTERVAL: '200' });
    // The default interval is 60 s: two exports within seconds, with the app still running, show the variable is read.
    await receiver.waitFor(() => receiver.requests.filter((r) => r.path === '/v1/metrics').length >= 2, 15_000);
    expect(running.child.exitCode).toBeNull();
    const metrics = receiver.metrics();
    const names = new Set(metrics.filter((m) => m.scope === 'opentelemetry-instrumentation-openai-http').map((m) => m.name));
    for (const name of [
      semconv.METRIC_REQUESTS_REMAINING,
      semconv.METRIC_REQUESTS_LIMIT,
      semconv.METRIC_REQUESTS_RESET,
      semconv.METRIC_TOKENS_REMAINING,
      semconv.METRIC_TOKENS_LIMIT,
      semconv.METRIC_TOKENS_RESET,
      semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
      semconv.METRIC_OPENAI_PROCESSING_DURATION,
    ]) {
      expect(names, name).toContain(name);
    }
    expect(metrics.find((m) => m.name === semconv.METRIC_REQUESTS_RESET)?.unit).toBe('s');
    expect(metrics.find((m) => m.name === semconv.METRIC_REQUESTS_REMAINING)?.unit).toBe('{request}');
    expect(gaugeValues(metrics, semconv.METRIC_REQUESTS_LIMIT)).toContain(60);
    const remaining = gaugeValues(metrics, semconv.METRIC_REQUESTS_REMAINING);
    expect(remaining.every((v) => v >= 59 && v <= 60)).toBe(true);
    const attributes = (metrics.find((m) => m.name === semconv.METRIC_REQUESTS_REMAINING)?.raw['gauge'] as { dataPoints: GaugePoint[] }).dataPoints[0]?.attributes ?? [];
    const decoded = Object.fromEntries(attributes.map((kv) => [kv.key, decodeAnyValue(kv.value)]));
    expect(decoded).toMatchObject({ 'gen_ai.provider.name': 'openai', 'openai.organization': 'org-simulator', 'server.address': '127.0.0.1' });
    expect(Object.keys(decoded)).not.toContain('openai.request.id');
  });

  it('sends the latest GenAI conventions\' names instead with OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental', async () => {
    running = startApp({ ...baseEnv(), OTEL_METRIC_EXPORT_INTERVAL: '200', [semconv.ENV_SEMCONV_STABILITY_OPT_IN]: semconv.SEMCONV_OPT_IN_GEN_AI_LATEST });
    await receiver.waitFor(() => receiver.metrics().some((m) => m.name === semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION), 15_000);
    const names = new Set(receiver.metrics().map((m) => m.name));
    expect(names).toContain(semconv.METRIC_REQUESTS_REMAINING);
    expect(names).not.toContain(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    expect(receiver.metrics().find((m) => m.name === semconv.METRIC_GEN_AI_CLIENT_INFERENCE_DURATION)?.unit).toBe('s');
  });

  it('honours OTEL_EXPORTER_OTLP_METRICS_ENDPOINT and OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', async () => {
    const metricsReceiver = await startOtlpReceiver();
    try {
      running = startApp({
        ...baseEnv(),
        OTEL_METRIC_EXPORT_INTERVAL: '200',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${metricsReceiver.url}/custom/metrics`,
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      });
      await metricsReceiver.waitFor(() => metricsReceiver.requests.some((r) => r.path === '/custom/metrics' && r.body.includes(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION)), 15_000);
      const body = metricsReceiver.requests.find((r) => r.body.includes(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION))!.body.toString();
      // AGGREGATION_TEMPORALITY_DELTA = 1 in OTLP (CUMULATIVE = 2, the default).
      expect(histogramTemporality(JSON.parse(body) as OtlpMetricsBody, semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION)).toBe(1);
      expect(receiver.requests.filter((r) => r.path === '/v1/metrics')).toEqual([]);
    } finally {
      running?.child.kill('SIGKILL');
      await running?.exited;
      await metricsReceiver.close();
    }
  });

  it('sends no metrics with OTEL_METRICS_EXPORTER=none, and traces still', async () => {
    running = startApp({ ...baseEnv(), OTEL_METRICS_EXPORTER: 'none', OTEL_METRIC_EXPORT_INTERVAL: '200' });
    await receiver.waitFor(() => receiver.requests.some((r) => r.path === '/v1/traces'), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    running.child.kill('SIGTERM');
    await running.exited;
    expect(receiver.requests.filter((r) => r.path === '/v1/metrics')).toEqual([]);
  });

  it('serves a Prometheus endpoint instead with OTEL_METRICS_EXPORTER=prometheus', async () => {
    const port = await freePort();
    running = startApp({ ...baseEnv(), OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) });
    await receiver.waitFor(() => receiver.requests.some((r) => r.path === '/v1/traces'), 15_000);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/^openai_ratelimit_requests_limit\{.*gen_ai_provider_name="openai".*\} 60$/m);
    expect(receiver.requests.filter((r) => r.path === '/v1/metrics')).toEqual([]);
  });

  it('flushes the metrics on SIGTERM even with the default 60 s interval', async () => {
    running = startApp(baseEnv());
    await receiver.waitFor(() => receiver.requests.some((r) => r.path === '/v1/traces'), 15_000);
    running.child.kill('SIGTERM');
    await running.exited;
    expect(gaugeValues(receiver.metrics(), semconv.METRIC_REQUESTS_LIMIT)).toEqual([60]);
  });
});
