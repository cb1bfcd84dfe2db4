import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.ts';
import { loadCompose, service } from '../helpers/stack-files.ts';
import { bridgeJsExporterToCollectorNames } from '../helpers/prometheus-names.ts';
import { requireTool, startPrometheus, type PrometheusServer, type RangeSeries } from '../helpers/prometheus.ts';
import {
  allShippedExprs,
  dashboardLabelValuesQueries,
  interpolate,
  PROMETHEUS_RULES_FILE,
  type PromqlExpr,
} from '../helpers/promql-sources.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';
import * as semconv from '../../src/semconv.ts';
import { loadGrafanaRules, loadPrometheusRules, seriesKey, thresholdHolds } from '../helpers/alert-rules.ts';

/**
 * Every PromQL expression the stack ships (dashboard panels and annotations, Grafana-managed
 * alert rules, the Jaeger datasource's trace-to-metrics queries, deploy/prometheus/alerts.yml)
 * runs against a real Prometheus holding what the demo produced against the simulator, each
 * configured as docker-compose.yml configures them. Four demo replicas (compose runs two) share
 * one quota and overrun it, so within seconds the quota conditions hold, 429s happen, and "one
 * alert per quota, not per replica" can be checked.
 *
 * Set-up differences from compose, and why: this runs without the Collector (and without Go,
 * on any Prometheus), so each replica serves its metrics with @opentelemetry/exporter-prometheus,
 * which names them without the unit suffix the Collector adds; the scrape renames them to the
 * Collector's names (bridgeJsExporterToCollectorNames), and the scrape job is named after the
 * service, which is what the Collector's exporter puts in `job`. test/stack/stack.test.ts runs
 * the same expressions through the real Collector, with no renaming.
 */
const prometheusBinary = requireTool('prometheus');

/**
 * Queries over what only the response body gives (token usage, time to first chunk, the error
 * code of insufficient_quota) have data only where the runtime lets the instrumentation read
 * bodies, and once it records them (semconv.ts names the instrument or attribute).
 */
const names: unknown[] = Object.values(semconv);
/** Only a key the compose simulator runs dry gives the demo an insufficient_quota to record. */
const demoRunsDry = (service(loadCompose(), 'simulator').environment['SIM_QUOTA_EXHAUSTED_KEYS'] ?? '') !== '';
const BODY_DATA: ReadonlyArray<{ pattern: RegExp; recorded: boolean }> = [
  { pattern: /gen_ai_client_token_usage/, recorded: names.includes('gen_ai.client.token.usage') },
  { pattern: /time_to_first_chunk/, recorded: names.includes('gen_ai.client.operation.time_to_first_chunk') },
  { pattern: /openai_error_code="insufficient_quota"/, recorded: names.includes('openai.error.code') && demoRunsDry },
];
const hasDataFor = (expr: string): boolean => BODY_DATA.every((b) => !b.pattern.test(expr) || (b.recorded && bundledUndiciHasBodyChunks()));
const REPLICAS = 4;
const SCRAPE_SECONDS = 1;

/** How Grafana would fill in the variables: "All" for the filters, the demo's service. */
function grafanaVariables(serviceName: string): Record<string, string> {
  return {
    service: serviceName,
    organization: '.*',
    project: '.*',
    model: '.*',
    // Grafana: max(4 x the scrape interval, step + scrape interval); 10 s holds ~10 samples here.
    __rate_interval: '10s',
    __interval: '1s',
    __range: '1m',
    __tags: `job="${serviceName}"`,
  };
}

describe.skipIf(prometheusBinary.skip)('every shipped PromQL expression, on real Prometheus with demo data', () => {
  let stack: DemoStack;
  let prometheus: PrometheusServer;
  let start: number;
  /** When the data was complete; queries evaluate at this time (the demo stops right after). */
  let end: number;
  let variables: Record<string, string>;
  const executed: string[] = [];

  beforeAll(async () => {
    stack = await startDemoStack({ replicas: REPLICAS, prometheusMetrics: true });
    variables = grafanaVariables(stack.serviceName);
    prometheus = await startPrometheus({
      scrapeJobs: [{ job: stack.serviceName, targets: stack.metricsTargets, metricRelabelConfigs: bridgeJsExporterToCollectorNames() }],
      scrapeIntervalSeconds: SCRAPE_SECONDS,
    });
    start = Date.now() / 1000;
    await prometheus.waitForTargetsUp(15_000);
    // Enough history for rate() windows, at least one 429, and the shared quota drained.
    const ready = async (): Promise<true | undefined> => {
      const drained = (kind: string): Promise<RangeSeries[]> =>
        prometheus.queryRange(`min(openai_ratelimit_${kind}_remaining / openai_ratelimit_${kind}_limit) < 0.10`, start, Date.now() / 1000, 1);
      const [limited, requestsLow, tokensLow, rated] = await Promise.all([
        prometheus.query('gen_ai_client_operation_duration_seconds_count{error_type="429"}'),
        drained('requests'),
        drained('tokens'),
        prometheus.query(`rate(gen_ai_client_operation_duration_seconds_count[${variables['__rate_interval']}])`),
      ]);
      const enough = [limited, requestsLow, tokensLow, rated].every((r) => r.length > 0);
      return enough && Date.now() / 1000 - start > 10 ? true : undefined;
    };
    await prometheus.waitFor('demo data: 429s, a drained quota, rate() history', ready, 45_000, 500).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- demo and simulator output:\n${stack.logs()}`);
    });
    // Stop the load (other test files run meanwhile); queries look at [start, end], before the
    // staleness markers the failed scrapes write.
    end = Date.now() / 1000;
    await stack.stop();
  }, 75_000);

  afterAll(async () => {
    await stack?.stop();
    await prometheus?.stop();
    if (executed.length > 0) console.log(`PromQL: ${new Set(executed).size} distinct expressions executed (${executed.length} queries)`);
  });

  async function run(found: PromqlExpr): Promise<{ instant: number; range: RangeSeries[] }> {
    const expr = interpolate(found.expr, variables);
    const instant = await prometheus.query(expr, end);
    const range = await prometheus.queryRange(expr, start, end, SCRAPE_SECONDS);
    executed.push(expr, expr);
    return { instant: instant.length, range };
  }

  const exprs = allShippedExprs();

  it('finds the expressions: dashboard, Grafana alert rules, Prometheus rules, datasource links', () => {
    const files = new Set(exprs.map((e) => e.file));
    expect([...files].sort()).toEqual([
      'deploy/grafana/dashboards/openai-rate-limits.json',
      'deploy/grafana/provisioning/alerting/openai-rate-limits.yaml',
      'deploy/grafana/provisioning/datasources/datasources.yaml',
      PROMETHEUS_RULES_FILE,
    ]);
    expect(exprs.length).toBeGreaterThanOrEqual(25);
  });

  it.each(exprs.map((e) => [`${e.file} ${e.where}`, e] as const))('%s parses and returns series', async (_name, found) => {
    const { instant, range } = await run(found);
    if (!hasDataFor(found.expr)) return;
    // A condition (`< 0.10`) holds at some point of the run; anything else has data right now.
    if (found.condition) expect(range.length, `no series over the run: ${found.expr}`).toBeGreaterThan(0);
    else expect(instant, `no series now: ${found.expr}`).toBeGreaterThan(0);
  });

  it.each(dashboardLabelValuesQueries().map((q) => [q.variable, q] as const))('dashboard variable $%s lists values', async (_name, q) => {
    const params = new URLSearchParams({ start: String(start), end: String(end) });
    if (q.selector) params.set('match[]', interpolate(q.selector, variables));
    const res = await fetch(`${prometheus.url}/api/v1/label/${q.label}/values?${params}`);
    const body = (await res.json()) as { status: string; data: string[] };
    executed.push(`label_values(${q.selector ?? ''}, ${q.label})`);
    expect(body.status).toBe('success');
    // Where the runtime can't read a fetch body (Node 22, 24.0-24.3) there is no model
    // label, so $model lists nothing and its "All" (.*) matches the model-less series.
    const expected = q.label === 'gen_ai_request_model' && !bundledUndiciHasBodyChunks() ? 0 : 1;
    expect(body.data.length, `label_values(${q.selector ?? ''}, ${q.label})`).toBeGreaterThanOrEqual(expected);
  });

  it('Grafana alert rules fire exactly when their Prometheus twins do, at every second of the run', async () => {
    const promRules = new Map(loadPrometheusRules().map((r) => [r.alert, r]));
    let firingSeen = 0;
    const expectedFiring = loadGrafanaRules().filter((r) => hasDataFor(r.expr)).length;
    for (const rule of loadGrafanaRules()) {
      const twin = promRules.get(rule.title);
      expect(twin, `alerts.yml has no ${rule.title}`).toBeDefined();
      if (!twin) continue;
      const [grafana, prom] = await Promise.all([
        prometheus.queryRange(rule.expr, start, end, SCRAPE_SECONDS),
        prometheus.queryRange(twin.expr, start, end, SCRAPE_SECONDS),
      ]);
      executed.push(rule.expr, twin.expr);
      const byTime = (series: RangeSeries[], keep: (v: number) => boolean): Map<number, string[]> => {
        const out = new Map<number, string[]>();
        for (const s of series) for (const p of s.values) if (keep(p.value)) out.set(p.time, [...(out.get(p.time) ?? []), seriesKey(s.metric)].sort());
        return out;
      };
      const grafanaFiring = byTime(grafana, (v) => thresholdHolds(rule.threshold, v));
      const promFiring = byTime(prom, () => true);
      const times = [...new Set([...grafanaFiring.keys(), ...promFiring.keys()])].sort();
      for (const t of times) expect(grafanaFiring.get(t) ?? [], `${rule.title} at ${t}`).toEqual(promFiring.get(t) ?? []);
      if (times.length > 0) firingSeen++;
    }
    // The comparison meant something: every rule held at some point (those with data on this runtime).
    expect(firingSeen).toBe(expectedFiring);
  });

  it(`gives one series per quota, not per replica, although ${REPLICAS} replicas report it`, async () => {
    const perQuota = await prometheus.query(
      'count by (gen_ai_provider_name, server_address, openai_organization, openai_project, gen_ai_request_model) (openai_ratelimit_requests_limit)',
      end,
    );
    expect(perQuota.length).toBeGreaterThan(0);
    expect(perQuota.map((s) => s.value)).toEqual(perQuota.map(() => REPLICAS));
    for (const rule of loadGrafanaRules().filter((r) => r.title.endsWith('RemainingLow'))) {
      const series = await prometheus.query(rule.expr, end);
      executed.push(rule.expr);
      expect(series.map((s) => seriesKey(s.metric)).sort(), rule.title).toEqual(perQuota.map((s) => seriesKey(s.metric)).sort());
      for (const s of series) expect(Object.keys(s.metric)).not.toContain('instance');
    }
  });
});
