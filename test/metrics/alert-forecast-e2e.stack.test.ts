import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCost } from '../../simulator/cost.ts';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import * as semconv from '../../src/semconv.ts';
import { sweepForecast, type ForecastSetting } from '../helpers/alert-forecast-sweep.ts';
import { firingHistory, firstFiring, lastFiring, type AlertHistory } from '../helpers/alert-history.ts';
import { startLoadReplicas, type LoadProfile, type LoadReplicas } from '../helpers/alert-load-replicas.ts';
import { scaledRulesYaml } from '../helpers/alert-time-scale.ts';
import { assertFound, freePort, requireTool, startPrometheus, type PrometheusServer } from '../helpers/prometheus.ts';
import { bridgeJsExporterToCollectorNames } from '../helpers/prometheus-names.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';
import { builtProgram } from '../helpers/stack-binaries.ts';
import { startCollector, type CollectorProcess } from '../helpers/stack-services.ts';

/**
 * The measurement behind the forecast rules' settings, on a compressed clock: three replicas of
 * an app (official SDK, this instrumentation) share the simulator and export OTLP to the
 * Collector (built from deploy/stack, on the shipped collector-config.yaml), and Prometheus
 * scrapes it as the shipped prometheus.yml does and evaluates the shipped rules, with every
 * duration divided by TIME_SCALE (export and scrape intervals, the simulator's window too:
 * 60 s / TIME_SCALE), so what the rules see has the same shape as in real time, and every figure
 * below is reported in real seconds. Where the Collector is not built (no Go), the replicas
 * serve /metrics to a direct scrape instead, said in the report. Concurrently, each on its own
 * quota (its own model):
 *   (a) ramps from a full window: the load climbs from 50% to 120% of the limit over 60, 120
 *       and 180 s and stays there until the first 429 — the lead time of each rule before it;
 *       and steps from 50% to 1.5x, 2x and 3x the limit: how steep a climb still gets a warning;
 *   (b) a steady load at 82.5% of the limit (random arrivals) for 10 minutes: no page; nor
 *       does a batch job that leaves the window half empty for a moment on top of a 50% load;
 *       one that leaves a fifth of it is recorded (it may page: the quota came close);
 *   (c) each ramp stops a few seconds after its first 429: every quota alert clears within one
 *       window;
 *   and a key whose credit runs dry (the simulator's quota control) pages OpenAIInsufficientQuota
 *   and not OpenAIRateLimited, where the instrumentation records openai.error.code.
 * The run also replays other settings of the forecast rule (horizon, floor, range, `for`) over
 * the same recorded data, for the table in deploy/README.md that the shipped ones come from.
 * Runs with ALERT_FORECAST_E2E=1 (CI: once, Node 24); ALERT_FORECAST_TIME_SCALE (default 5; 1 is
 * real time, about 11 minutes) and ALERT_FORECAST_REPORT_FILE (JSON of the figures) are optional.
 */

const RUN = process.env['ALERT_FORECAST_E2E'] === '1';
const TIME_SCALE = Number(process.env['ALERT_FORECAST_TIME_SCALE'] ?? 5);
const prometheusTool = requireTool('prometheus');
const rulesFile = fileURLToPath(new URL('../../deploy/prometheus/alerts.yml', import.meta.url));

/** Real seconds on the compressed clock. */
const scaled = (realSeconds: number): number => realSeconds / TIME_SCALE;
const WINDOW_S = scaled(60);
const REQUESTS_PER_WINDOW = 120;
/** Requests per second the window refills: 100% of the limit. */
const LIMIT_RPS = REQUESTS_PER_WINDOW / WINDOW_S;
/** What one call of the fixture costs against the token bucket; tokens get the same headroom as requests. */
const TOKENS_PER_CALL = tokenCost('chat', { max_tokens: 8, messages: [{ role: 'user', content: 'ping' }] });
/** Production's scrape (5 s) and rule evaluation (15 s) intervals (deploy/prometheus/prometheus.yml), compressed. */
const SCRAPE_S = scaled(5);
const EVAL_S = scaled(15);
const REPLICAS = 3;
/** Production's OTLP export interval (compose: OTEL_METRIC_EXPORT_INTERVAL=5000), compressed. */
const EXPORT_MS = 5_000 / TIME_SCALE;
const collectorBinary = builtProgram('otelcol-openai-http');
const PIPELINE: 'collector' | 'scrape' = process.env['ALERT_FORECAST_PIPELINE'] === 'scrape' || collectorBinary === undefined ? 'scrape' : 'collector';
/** After its first 429 a ramp keeps going this long (real seconds), then stops. */
const OVERRUN_S = 5;

const RULES = ['OpenAITokensRemainingLow', 'OpenAIRequestsRemainingLow', 'OpenAITokensRunningOut', 'OpenAIRequestsRunningOut', 'OpenAIRateLimited'] as const;
const QUOTA_RULES = RULES.filter((r) => r !== 'OpenAIRateLimited');
const FORECASTS = ['OpenAITokensRunningOut', 'OpenAIRequestsRunningOut'] as const;

const names: unknown[] = Object.values(semconv);
const ERROR_CODES_RECORDED = names.includes('openai.error.code') && bundledUndiciHasBodyChunks();

interface Ramp {
  readonly name: string;
  readonly realRampSeconds: number;
  readonly profile: LoadProfile;
}

function ramp(name: string, realRampSeconds: number, to: number): Ramp {
  return {
    name,
    realRampSeconds,
    profile: {
      name,
      model: `gpt-4o-mini-${name}`,
      apiKey: 'sk-alerts',
      points: realRampSeconds === 0
        ? [[0, 0.5 * LIMIT_RPS], [scaled(30), 0.5 * LIMIT_RPS], [scaled(30) + 0.001, to * LIMIT_RPS]]
        : [[0, 0.5 * LIMIT_RPS], [scaled(realRampSeconds), to * LIMIT_RPS]],
      maxSeconds: scaled(900),
      arrivals: 'even',
    },
  };
}

const RAMPS = [ramp('ramp-60s', 60, 1.2), ramp('ramp-120s', 120, 1.2), ramp('ramp-180s', 180, 1.2), ramp('step-1.5x', 0, 1.5), ramp('step-2x', 0, 2), ramp('step-3x', 0, 3)];
const STEADY: LoadProfile = { name: 'steady', model: 'gpt-4o-mini-steady', apiKey: 'sk-alerts', points: [[0, 0.825 * LIMIT_RPS]], maxSeconds: scaled(600), arrivals: 'poisson' };
/** On a 50% load, a batch job adds `extra` requests (a fraction of the window) over 10 s, once, 30 s in. */
function burst(name: string, extra: number): LoadProfile {
  const base = 0.5 * LIMIT_RPS;
  const peak = base + (extra * REQUESTS_PER_WINDOW) / scaled(10);
  return {
    name,
    model: `gpt-4o-mini-${name}`,
    apiKey: 'sk-alerts',
    points: [[0, base], [scaled(30), base], [scaled(30) + 0.001, peak], [scaled(40), peak], [scaled(40) + 0.001, base]],
    maxSeconds: scaled(180),
    arrivals: 'even',
  };
}
/** Net of the refill over the 10 s, the first leaves about 45% of the window, the second about 20%. */
const BURSTS = [burst('burst-half', 0.63), burst('burst-deep', 0.88)];
const SWEEP: ForecastSetting[] = [60, 120, 180, 300].flatMap((horizonSeconds) =>
  [0.25, 0.5, 0.75, 1.01].flatMap((floor) =>
    [30, 60, 120].flatMap((rangeSeconds) => [0, 15, 30, 60].map((forSeconds) => ({ horizonSeconds, floor, rangeSeconds, forSeconds }))),
  ),
);
const DRY_KEY = 'sk-runs-dry';
const DRY: LoadProfile = { name: 'dry', model: 'gpt-4o-mini-dry', apiKey: DRY_KEY, points: [[0, 0.25 * LIMIT_RPS]], maxSeconds: scaled(300), arrivals: 'even' };
/** Calls the dry key can pay for before the simulator answers insufficient_quota. */
const DRY_CALLS = 20;

interface Outcome {
  readonly first429: Record<string, { at: number; code: string | null } | undefined>;
  readonly stoppedAt: Record<string, number>;
  readonly startAt: number;
  readonly history: AlertHistory[];
  readonly pendingHistory: AlertHistory[];
  readonly end: number;
}

describe.runIf(RUN && !prometheusTool.skip)(`forecast alerts end to end (time x1/${TIME_SCALE})`, () => {
  let sim: Simulator | undefined;
  let replicas: LoadReplicas | undefined;
  let prometheus: PrometheusServer | undefined;
  let collector: CollectorProcess | undefined;
  let dir: string | undefined;
  let outcome: Outcome;
  const report: Record<string, unknown> = { timeScale: TIME_SCALE, pipeline: PIPELINE, windowSeconds: 60, requestsPerWindow: REQUESTS_PER_WINDOW, replicas: REPLICAS };

  beforeAll(async () => {
    assertFound(prometheusTool);
    if (!Number.isInteger(SCRAPE_S) || !Number.isInteger(EVAL_S)) throw new Error(`ALERT_FORECAST_TIME_SCALE must divide 5 (1 or 5), got ${TIME_SCALE}`);
    sim = await startSimulator({ windowMs: WINDOW_S * 1000, requestsPerWindow: REQUESTS_PER_WINDOW, tokensPerWindow: REQUESTS_PER_WINDOW * TOKENS_PER_CALL });
    const profiles = [...RAMPS.map((r) => r.profile), STEADY, ...BURSTS, ...(ERROR_CODES_RECORDED ? [DRY] : [])];
    if (ERROR_CODES_RECORDED) {
      const res = await fetch(`${sim.origin}/_simulator/quota`, { method: 'POST', body: JSON.stringify({ apiKey: DRY_KEY, remainingTokens: DRY_CALLS * TOKENS_PER_CALL }) });
      expect(res.status).toBeLessThan(300);
      await res.arrayBuffer();
    }
    dir = await mkdtemp(path.join(tmpdir(), 'alert-forecast-'));
    const scaledRules = path.join(dir, 'alerts.yml');
    await writeFile(scaledRules, await scaledRulesYaml(rulesFile, TIME_SCALE));
    if (PIPELINE === 'collector') {
      // Traces are off in the replicas, so the Collector's Jaeger exporter has nothing to send.
      collector = await startCollector(collectorBinary!, `127.0.0.1:${await freePort()}`);
      replicas = await startLoadReplicas({
        count: REPLICAS,
        baseUrl: sim.url,
        serviceName: 'forecast-app',
        metrics: { otlpEndpoint: collector.otlpHttpUrl, exportIntervalMs: EXPORT_MS },
      });
      // deploy/prometheus/prometheus.yml's job for the apps, with the intervals compressed.
      prometheus = await startPrometheus({
        config: {
          global: { scrape_interval: `${SCRAPE_S}s`, scrape_timeout: `${SCRAPE_S}s`, evaluation_interval: `${EVAL_S}s` },
          rule_files: [scaledRules],
          scrape_configs: [{ job_name: 'openai-apps', honor_labels: true, static_configs: [{ targets: [collector.exporterAddress] }] }],
        },
      });
    } else {
      replicas = await startLoadReplicas({ count: REPLICAS, baseUrl: sim.url, serviceName: 'forecast-app', metrics: 'pull' });
      prometheus = await startPrometheus({
        ruleFiles: [scaledRules],
        scrapeIntervalSeconds: SCRAPE_S,
        evaluationIntervalSeconds: EVAL_S,
        scrapeJobs: [{ job: 'forecast-app', targets: replicas.targets, metricRelabelConfigs: bridgeJsExporterToCollectorNames() }],
      });
    }
    await prometheus.waitForTargetsUp();
    expect((await prometheus.rules()).filter((r) => r.type === 'alerting')).toHaveLength(6);

    const startAt = Date.now() + 1_000;
    replicas.run(profiles, startAt);
    // Each ramp (and the dry key) stops OVERRUN_S after its first 429; the steady load runs out its time.
    const stopping = new Map<string, Promise<number>>();
    const stopsAfter429 = [...RAMPS.map((r) => r.name), ...(ERROR_CODES_RECORDED ? [DRY.name] : [])];
    const deadline = startAt + scaled(900) * 1000;
    while (stopping.size < stopsAfter429.length) {
      for (const name of stopsAfter429) {
        if (stopping.has(name) || replicas.first('429', name) === undefined) continue;
        stopping.set(
          name,
          (async () => {
            await new Promise((resolve) => setTimeout(resolve, scaled(OVERRUN_S) * 1000));
            replicas!.stop(name);
            const done = await replicas!.stopped(name, 15_000);
            return Math.max(...done.map((e) => e.at ?? 0));
          })(),
        );
      }
      const errors = replicas.events.filter((e) => e.event === 'error');
      if (errors.length > 0) throw new Error(`replicas saw errors: ${JSON.stringify(errors.slice(0, 3))}`);
      if (Date.now() > deadline) throw new Error(`no 429 for ${stopsAfter429.filter((n) => !stopping.has(n)).join(', ')} by the deadline`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stoppedAt: Record<string, number> = {};
    for (const [name, stopped] of stopping) stoppedAt[name] = await stopped;
    const steadyDone = await replicas.stopped(STEADY.name, (scaled(600) + 30) * 1000 - (Date.now() - startAt));
    stoppedAt[STEADY.name] = Math.max(...steadyDone.map((e) => e.at ?? 0));
    // Room for the quota alerts to clear: one window after the last ramp stopped, plus two evaluations.
    const lastRampStop = Math.max(...RAMPS.map((r) => stoppedAt[r.name] ?? 0));
    const settle = lastRampStop + (WINDOW_S + 2 * EVAL_S) * 1000 - Date.now();
    if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));

    const end = Date.now();
    const first429: Outcome['first429'] = {};
    for (const name of [...stopsAfter429, STEADY.name, ...BURSTS.map((b) => b.name)]) {
      const hit = replicas.first('429', name);
      first429[name] = hit?.at === undefined ? undefined : { at: hit.at, code: hit.code ?? null };
    }
    outcome = {
      first429,
      stoppedAt,
      startAt,
      history: await firingHistory(prometheus, startAt - 60_000, end),
      pendingHistory: await firingHistory(prometheus, startAt, end, 'pending'),
      end,
    };
  }, (scaled(900) + 120) * 1000);

  afterAll(async () => {
    const file = process.env['ALERT_FORECAST_REPORT_FILE'];
    if (file) await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`forecast alerts, time x1/${TIME_SCALE}:\n${JSON.stringify(report, null, 2)}`);
    await replicas?.kill();
    await prometheus?.stop();
    await collector?.stop();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Real seconds from the first firing evaluation of `rule` for the profile's quota to its first 429 (negative: after). */
  const leadSeconds = (rule: string, profile: LoadProfile): number | null => {
    const fired = firstFiring(outcome.history, rule, { gen_ai_request_model: profile.model });
    const hit = outcome.first429[profile.name];
    return fired === undefined || hit === undefined ? null : round(((hit.at - fired) / 1000) * TIME_SCALE);
  };

  it('(a) ramps from a full window to 120% of the limit: the forecasts page 20 s or more before the first 429 of the 120 s and 180 s ramps', () => {
    const leads: Record<string, Record<string, number | null>> = {};
    for (const r of RAMPS) {
      const hit = outcome.first429[r.name];
      expect(hit, `${r.name}: no 429`).toBeDefined();
      leads[r.name] = {
        first429AfterStartSeconds: round(((hit!.at - outcome.startAt) / 1000) * TIME_SCALE),
        ...Object.fromEntries(RULES.map((rule) => [rule, leadSeconds(rule, r.profile)])),
      };
    }
    report['leadSecondsBeforeFirst429'] = leads;
    for (const r of RAMPS.filter((x) => x.realRampSeconds >= 120)) {
      for (const rule of FORECASTS) expect(leads[r.name]?.[rule], `${rule} on ${r.name}`).toBeGreaterThanOrEqual(20);
    }
    // The 60 s ramp too gets its forecast before the 429.
    for (const rule of FORECASTS) expect(leads['ramp-60s']?.[rule], `${rule} on ramp-60s`).toBeGreaterThan(0);
    // One alert per quota and rule, never one per replica.
    for (const h of outcome.history) expect(h.labels, JSON.stringify(h.labels)).not.toHaveProperty('instance');
  });

  it('(b) a steady load at 82.5% of the limit for 10 minutes pages nothing', () => {
    const pages = outcome.history.filter((h) => h.labels['gen_ai_request_model'] === STEADY.model);
    const pending = outcome.pendingHistory.filter((h) => h.labels['gen_ai_request_model'] === STEADY.model);
    report['steady'] = {
      realSeconds: round(((outcome.stoppedAt[STEADY.name]! - outcome.startAt) / 1000) * TIME_SCALE),
      first429: outcome.first429[STEADY.name] ?? null,
      pages: pages.map((p) => p.labels['alertname']),
      pendingEvaluations: pending.reduce((n, p) => n + p.firing.length, 0),
    };
    expect(outcome.stoppedAt[STEADY.name]! - outcome.startAt).toBeGreaterThanOrEqual(scaled(600) * 1000 - 1_000);
    expect(outcome.first429[STEADY.name]).toBeUndefined();
    expect(pages.map((p) => p.labels['alertname'])).toEqual([]);
  });

  it('(c) after the load stops, every quota alert clears within one window', () => {
    const cleared: Record<string, Record<string, number | null>> = {};
    for (const r of RAMPS) {
      const stop = outcome.stoppedAt[r.name]!;
      cleared[r.name] = Object.fromEntries(
        QUOTA_RULES.map((rule) => {
          const last = lastFiring(outcome.history, rule, { gen_ai_request_model: r.profile.model });
          // Firing at the last evaluation before it cleared; it cleared by the next one.
          return [rule, last === undefined ? null : round((((last - stop) / 1000 + EVAL_S) * TIME_SCALE))];
        }),
      );
      for (const rule of QUOTA_RULES) {
        const last = lastFiring(outcome.history, rule, { gen_ai_request_model: r.profile.model });
        if (last !== undefined) expect(last - stop, `${rule} on ${r.name} still firing a window after the load stopped`).toBeLessThan(WINDOW_S * 1000);
      }
    }
    report['clearedSecondsAfterStop'] = cleared;
  });

  it('(b) a batch job that leaves the window half empty, which then refills, pages nothing', () => {
    const pagesOf = (p: LoadProfile): string[] => outcome.history.filter((h) => h.labels['gen_ai_request_model'] === p.model).map((h) => h.labels['alertname'] ?? '');
    report['bursts'] = Object.fromEntries(BURSTS.map((b) => [b.name, { first429: outcome.first429[b.name] ?? null, pages: pagesOf(b) }]));
    expect(outcome.first429['burst-half']).toBeUndefined();
    expect(pagesOf(BURSTS[0]!)).toEqual([]);
  });

  it('replays other forecast settings over the same data (the table the shipped settings come from)', async () => {
    const rows = await sweepForecast(prometheus!, SWEEP, { start: outcome.startAt, end: outcome.end, evalSeconds: EVAL_S, timeScale: TIME_SCALE });
    const lead = (first: number | undefined, p: LoadProfile): number | null => {
      const hit = outcome.first429[p.name];
      return first === undefined || hit === undefined ? null : round(((hit.at - first) / 1000) * TIME_SCALE);
    };
    const table = rows.map((row) => {
      const leads = Object.fromEntries(RAMPS.map((r) => [r.name, lead(row.firstFiring[r.profile.model], r.profile)]));
      const pages = [STEADY, ...BURSTS].filter((p) => row.firstFiring[p.model] !== undefined).map((p) => p.name);
      const meets = RAMPS.filter((r) => r.realRampSeconds >= 120).every((r) => (leads[r.name] ?? -Infinity) >= 20) && !pages.includes('steady') && !pages.includes('burst-half');
      return { N: row.horizonSeconds, floor: row.floor, range: row.rangeSeconds, for: row.forSeconds, leads, pages, meets };
    });
    report['sweep'] = table;
    // The shipped setting is one of those that meet the targets.
    const shipped = table.find((r) => r.N === 180 && r.floor === 0.5 && r.range === 30 && r.for === 30);
    expect(shipped?.meets, JSON.stringify(shipped)).toBe(true);
  });

  it.runIf(ERROR_CODES_RECORDED)('a key whose credit runs dry pages OpenAIInsufficientQuota, not OpenAIRateLimited', () => {
    const hit = outcome.first429[DRY.name];
    expect(hit?.code).toBe('insufficient_quota');
    const fired = firstFiring(outcome.history, 'OpenAIInsufficientQuota');
    expect(fired, 'OpenAIInsufficientQuota never fired').toBeDefined();
    expect(firstFiring(outcome.history, 'OpenAIRateLimited', { gen_ai_request_model: DRY.model })).toBeUndefined();
    report['insufficientQuota'] = { firedSecondsAfterFirst: round(((fired! - hit!.at) / 1000) * TIME_SCALE) };
  });
});

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
