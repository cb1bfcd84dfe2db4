import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as semconv from '../../src/semconv.ts';
import { loadPrometheusRules } from '../helpers/alert-rules.ts';
import { jaegerTrace, type JaegerSpan } from '../helpers/jaeger.ts';
import { answersOk } from '../helpers/managed-process.ts';
import { collectorPrometheusName, INSTRUMENTS } from '../helpers/prometheus-names.ts';
import { dashboardLabelValuesQueries, allShippedExprs, interpolate } from '../helpers/promql-sources.ts';
import { labelNames, metricNames } from '../helpers/promql-names.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { requireStack, stackPrograms } from '../helpers/stack-binaries.ts';
import { loadCompose, service } from '../helpers/stack-files.ts';
import type { DemoReplica } from '../helpers/stack-apps.ts';

/**
 * The stack for real: demo replicas under `--import .../register` -> the Collector (built from
 * deploy/stack/collector, on the shipped collector-config.yaml) -> Jaeger v2 and, through the
 * Collector's Prometheus exporter, Prometheus 3 on the shipped prometheus.yml and alerts.yml.
 * Nothing bridges names: what the rules and the dashboard query is what the Collector serves.
 * Then the faults a stack meets: the Collector restarted, Jaeger down, Prometheus restarted.
 */
const requirement = requireStack();
const PACKAGE = 'opentelemetry-instrumentation-openai-http';
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;
/** More than compose's two, so the shared quota drains and every alert condition holds at times. */
const REPLICAS = 3;
/** prometheus.yml's scrape_interval; Grafana sizes $__rate_interval from it (4 x). */
const SCRAPE_SECONDS = 5;

function grafanaVariables(serviceName: string): Record<string, string> {
  return {
    service: serviceName,
    organization: '.*',
    project: '.*',
    model: '.*',
    __rate_interval: `${4 * SCRAPE_SECONDS}s`,
    __interval: `${SCRAPE_SECONDS}s`,
    __range: '1m',
    __tags: `job="${serviceName}"`,
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, logs: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(requirement.skip)('the stack for real: Collector, Jaeger v2, Prometheus 3', () => {
  let stack: Stack;
  let start: number;
  let serviceName: string;
  const now = (): number => Date.now() / 1000;
  const logs = (): string => stack.logs();
  const latest = (metric: string): Promise<number | undefined> =>
    stack.prometheus.query(`max(timestamp(${metric}))`).then((r) => r[0]?.value);

  beforeAll(async () => {
    stack = await startStack({ programs: stackPrograms(requirement), demoReplicas: REPLICAS });
    serviceName = stack.demoEnv['OTEL_SERVICE_NAME'] ?? '';
    start = now();
    // Enough for rate() windows, a 429, and the shared quota drained below the rules' 10%.
    await until(
      'demo data in Prometheus: 429s, drained request and token quotas, rate() history',
      async () => {
        const drained = (kind: string): Promise<unknown[]> =>
          stack.prometheus.queryRange(`min(openai_ratelimit_${kind}_remaining / openai_ratelimit_${kind}_limit) < 0.10`, start, now(), 1);
        const [limited, requestsLow, tokensLow, rated] = await Promise.all([
          stack.prometheus.query('gen_ai_client_operation_duration_seconds_count{error_type="429"}'),
          drained('requests'),
          drained('tokens'),
          stack.prometheus.query(`rate(gen_ai_client_operation_duration_seconds_count[${4 * SCRAPE_SECONDS}s])`),
        ]);
        return [limited, requestsLow, tokensLow, rated].every((r) => r.length > 0) ? true : undefined;
      },
      90_000,
      logs,
    );
  }, 150_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('the Collector answers its health endpoint where compose probes it, and Prometheus scrapes its otelcol_* metrics', async () => {
    // compose: wget http://127.0.0.1:13133/ -> the same path on this Collector's health port.
    const probe = (service(loadCompose(), 'collector').healthcheck ?? []).find((a) => a.startsWith('http://'));
    expect(probe).toBeDefined();
    expect(new URL(probe!).pathname).toBe(new URL(stack.collector.healthUrl).pathname);
    const res = await fetch(stack.collector.healthUrl);
    expect(res.status).toBe(200);
    await res.arrayBuffer();

    const targets = await stack.prometheus.targets();
    expect(Object.fromEntries(targets.map((t) => [t.labels['job'], t.health]))).toEqual({ 'openai-apps': 'up', 'otel-collector': 'up', prometheus: 'up' });
    // The self-metrics prometheus.yml's comment promises: what got in, what was refused.
    const own = await stack.prometheus.query('count by (__name__) ({job="otel-collector", __name__=~"otelcol_.+"})');
    const names = own.map((s) => s.metric['__name__']);
    // (Collector 0.165 serves its counters without `_total`; send_failed appears with the first failure.)
    for (const name of ['otelcol_receiver_accepted_spans', 'otelcol_receiver_refused_spans', 'otelcol_exporter_sent_spans', 'otelcol_receiver_accepted_metric_points', 'otelcol_receiver_refused_metric_points', 'otelcol_exporter_queue_size']) {
      expect(names, name).toContain(name);
    }
    const [accepted] = await stack.prometheus.query('sum(otelcol_receiver_accepted_metric_points{job="otel-collector"})');
    expect(accepted?.value).toBeGreaterThan(0);
  });

  it("Jaeger has the demo's traces: every OpenAI span with the documented attributes, under the app's span", async () => {
    const checked = new Set<string>();
    const instanceIds = new Set<unknown>();
    for (const replica of stack.demo) {
      const iterations = replica.iterations().slice(0, 2);
      expect(iterations.length, `replica ${replica.replica} iterated`).toBeGreaterThan(0);
      for (const iteration of iterations) {
        const spans = await until(`trace ${iteration.traceId} in Jaeger`, async () => {
          const found = await jaegerTrace(stack.jaeger.queryUrl, iteration.traceId!);
          return found.some((s) => s.spanId === iteration.spanId) && found.length > 3 ? found : undefined;
        }, 20_000, logs);
        const parent = spans.find((s) => s.spanId === iteration.spanId)!;
        expect(parent.name).toBe('demo iteration');
        const client = spans.filter((s) => s.scope === PACKAGE);
        // chat, streamed chat, embeddings and the burst, plus the burst's retries.
        expect(client.length).toBeGreaterThanOrEqual(3 + Number(stack.demoEnv['DEMO_BURST'] ?? 16));
        for (const s of client) {
          expect(s.parentSpanId, `${s.name} ${s.spanId}`).toBe(iteration.spanId);
          expect(s.kind).toBe(SPAN_KIND_CLIENT);
          expect(s.resource['service.name']).toBe(serviceName);
          checkAttributes(s, stack.simulator.baseUrl);
          checked.add(s.spanId);
        }
        instanceIds.add(parent.resource['service.instance.id']);
      }
    }
    expect(instanceIds.size, 'one service.instance.id per replica').toBe(REPLICAS);
    expect(checked.size).toBeGreaterThan(REPLICAS * 19);
  });

  it('Prometheus 3 has, from the Collector, exactly the names and labels the rules and the dashboard use', async () => {
    const present = new Set(
      (await stack.prometheus.query('count by (__name__) ({job="' + serviceName + '"})')).map((s) => s.metric['__name__'] ?? ''),
    );
    // Every instrument under its documented Prometheus name (the histograms' series).
    for (const { name, unit, kind } of INSTRUMENTS) {
      const base = collectorPrometheusName(name, unit);
      for (const series of kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base]) expect(present, series).toContain(series);
    }
    const exprs = allShippedExprs();
    const used = new Set(exprs.flatMap((e) => metricNames(e.expr)));
    for (const name of used) expect(present, `${name} (used by the shipped PromQL)`).toContain(name);
    // Every label the expressions group or filter by is on the series (job and instance from the resource).
    const labels = new Set((await stack.prometheus.query(`{job="${serviceName}"}`)).flatMap((s) => Object.keys(s.metric)));
    for (const label of new Set(exprs.flatMap((e) => labelNames(e.expr)))) expect(labels, label).toContain(label);
    // One `instance` per replica: service.instance.id, so replicas stay separate series.
    const instances = await stack.prometheus.query('count by (instance) (openai_ratelimit_requests_limit)');
    expect(instances).toHaveLength(REPLICAS);
  });

  it('every shipped PromQL expression (rules, dashboard, Grafana alerts, datasource) runs and returns data', async () => {
    const variables = grafanaVariables(serviceName);
    const end = now();
    const empty: string[] = [];
    for (const found of allShippedExprs()) {
      const expr = interpolate(found.expr, variables);
      // Every one must run (a parse or evaluation error throws here) and return data.
      const [instant, range] = await Promise.all([stack.prometheus.query(expr, end), stack.prometheus.queryRange(expr, start, end, 1)]);
      if (!(found.condition ? range.length > 0 : instant.length > 0)) empty.push(`${found.file} ${found.where}: ${expr}`);
    }
    expect(empty, 'expressions without data').toEqual([]);
    console.log(`PromQL: ${allShippedExprs().length} shipped expressions ran on Prometheus 3 with data from the Collector`);
    for (const q of dashboardLabelValuesQueries()) {
      const params = new URLSearchParams({ start: String(start), end: String(end) });
      if (q.selector) params.set('match[]', interpolate(q.selector, variables));
      const body = (await (await fetch(`${stack.prometheus.url}/api/v1/label/${q.label}/values?${params}`)).json()) as { data: string[] };
      const expected = q.label === 'gen_ai_request_model' && !bundledUndiciHasBodyChunks() ? 0 : 1;
      expect(body.data.length, `label_values(${q.selector ?? ''}, ${q.label})`).toBeGreaterThanOrEqual(expected);
    }
  });

  it('the Collector stopped and restarted mid-run: the apps carry on, traces and metrics resume', async () => {
    await stack.collector.stop();
    const down = Date.now();
    const before = countIterations(stack.demo);
    // Longer than the apps' metric export interval and span batch delay: they export into the void.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(countIterations(stack.demo), 'the apps kept calling OpenAI while the Collector was down').toBeGreaterThan(before);
    await stack.collector.start();
    const up = Date.now();
    expect(stack.demo.every((r) => r.running())).toBe(true);
    expect(stack.demo.flatMap((r) => r.errors())).toEqual([]);
    await until('new samples from the restarted Collector', async () => ((await latest('openai_ratelimit_requests_limit')) ?? 0) * 1000 > up ? true : undefined, 30_000, logs);
    await waitForTraceAfter(up, 'a trace exported after the Collector restart');
    console.log(`Collector down ${((up - down) / 1000).toFixed(1)} s; data resumed`);
  }, 90_000);

  it('Jaeger down: the Collector stays healthy, the apps and the metrics carry on; traces come back with Jaeger', async () => {
    await stack.jaeger.stop();
    const down = Date.now();
    const before = countIterations(stack.demo);
    await until('fresh metrics while Jaeger is down', async () => (((await latest('openai_ratelimit_requests_limit')) ?? 0) * 1000 > down + 1_000 ? true : undefined), 30_000, logs);
    expect(await answersOk(stack.collector.healthUrl)).toBe(true);
    expect(stack.collector.running()).toBe(true);
    expect(countIterations(stack.demo)).toBeGreaterThan(before);
    expect(stack.demo.flatMap((r) => r.errors())).toEqual([]);
    await stack.jaeger.start();
    const up = Date.now();
    await waitForTraceAfter(up, 'a trace in the restarted Jaeger');
  }, 90_000);

  it('Prometheus restarted: the data it had is still there, it scrapes again and loads the rules', async () => {
    const before = now();
    const [series] = await stack.prometheus.query('count(openai_ratelimit_requests_limit)', before);
    await stack.prometheus.restart();
    const up = Date.now();
    const [kept] = await stack.prometheus.query('count(openai_ratelimit_requests_limit)', before);
    expect(kept?.value).toBe(series?.value);
    await until('a scrape after the restart', async () => (((await latest('openai_ratelimit_requests_limit')) ?? 0) * 1000 > up ? true : undefined), 30_000, logs);
    const rules = await stack.prometheus.rules();
    expect(rules.filter((r) => r.health === 'err')).toEqual([]);
    expect(rules.filter((r) => r.type === 'alerting').map((r) => r.name).sort()).toEqual(loadPrometheusRules().map((r) => r.alert).sort());
  }, 60_000);

  function countIterations(replicas: readonly DemoReplica[]): number {
    return replicas.reduce((n, r) => n + r.iterations().length, 0);
  }

  async function waitForTraceAfter(since: number, what: string): Promise<JaegerSpan[]> {
    return until(
      what,
      async () => {
        for (const replica of stack.demo) {
          for (const iteration of replica.iterations().filter((e) => (e.at ?? 0) > since)) {
            const spans = await jaegerTrace(stack.jaeger.queryUrl, iteration.traceId!);
            if (spans.some((s) => s.scope === PACKAGE && s.parentSpanId === iteration.spanId)) return spans;
          }
        }
        return undefined;
      },
      45_000,
      logs,
    );
  }
});

/** The documented span attributes, as otlp-traces.test.ts checks them at the exporter, now as Jaeger stored them. */
function checkAttributes(s: JaegerSpan, simulatorUrl: string): void {
  const a = s.attributes;
  expect(a).toMatchObject({
    [semconv.ATTR_GEN_AI_PROVIDER_NAME]: semconv.PROVIDER_OPENAI,
    [semconv.ATTR_SERVER_ADDRESS]: '127.0.0.1',
    [semconv.ATTR_HTTP_REQUEST_METHOD]: 'POST',
    [semconv.ATTR_OPENAI_ORGANIZATION]: 'org-simulator',
    [semconv.ATTR_OPENAI_PROJECT]: 'proj_simulator',
  });
  expect(a[semconv.ATTR_SERVER_PORT]).toBe(Number(new URL(simulatorUrl).port));
  expect(a[semconv.ATTR_OPENAI_REQUEST_ID]).toMatch(/^req_/);
  const operation = String(a[semconv.ATTR_GEN_AI_OPERATION_NAME]);
  expect([semconv.OPERATION_CHAT, semconv.OPERATION_EMBEDDINGS]).toContain(operation);
  expect(a[semconv.ATTR_URL_FULL]).toBe(`${simulatorUrl}/${operation === semconv.OPERATION_CHAT ? 'chat/completions' : 'embeddings'}`);
  if (a[semconv.ATTR_HTTP_RESPONSE_STATUS_CODE] === 429) {
    expect(s.statusCode).toBe(STATUS_ERROR);
    expect(a[semconv.ATTR_ERROR_TYPE]).toBe('429');
  } else {
    expect(a[semconv.ATTR_HTTP_RESPONSE_STATUS_CODE], JSON.stringify(s)).toBe(200);
    expect(a[semconv.ATTR_ERROR_TYPE], JSON.stringify(s)).toBeUndefined();
    expect(Number.isInteger(a[semconv.ATTR_OPENAI_RATELIMIT_REQUESTS_REMAINING])).toBe(true);
    expect(Number.isInteger(a[semconv.ATTR_OPENAI_RATELIMIT_TOKENS_REMAINING])).toBe(true);
  }
  if (bundledUndiciHasBodyChunks()) expect(s.name).toBe(`${operation} ${String(a[semconv.ATTR_GEN_AI_REQUEST_MODEL])}`);
}
