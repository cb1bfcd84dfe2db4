import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { watchAlerts, type AlertWatch } from '../helpers/alert-watch.ts';
import { startReplicas, type Replicas } from '../helpers/app-replicas.ts';
import { assertFound, requireTool, startPrometheus, type PrometheusServer } from '../helpers/prometheus.ts';
import { bridgeJsExporterToCollectorNames } from '../helpers/prometheus-names.ts';

/**
 * The promise to an SRE, checked end to end: several replicas of an instrumented app share
 * one quota and climb towards it with the official SDK; a real Prometheus scrapes their
 * exporters and evaluates the shipped rules (deploy/prometheus/alerts.yml, `for: 1m`).
 * The low-remaining page must fire before the first 429 reaches an app, once per quota,
 * and clear by itself within one reset window after the traffic stops.
 *
 * Why a co-tenant first: under a load that only rises, the last 10% of a window is used up
 * fastest, so it lasts at most a tenth of the climb from a full window. A `for: 1m` rule can
 * only page ahead of the 429 if that last 10% lasts over a minute: a climb of 10+ minutes from
 * a full window. To keep the test near two minutes, another tenant of the same quota (a batch
 * job on the same key, not instrumented) has used all but 6% of it when the replicas start,
 * and the replicas' load then rises from the refill rate just enough to run out in ~95 s.
 */

const prometheusTool = requireTool('prometheus');
const rulesFile = fileURLToPath(new URL('../../deploy/prometheus/alerts.yml', import.meta.url));

const REPLICAS = 3;
const API_KEY = 'sk-shared-quota';
const MODEL = 'gpt-4o-mini';
const WINDOW_SECONDS = 60;
const REQUESTS_PER_WINDOW = 600;
/** Requests per second the window refills. */
const REFILL = REQUESTS_PER_WINDOW / WINDOW_SECONDS;
/** Requests the co-tenant leaves: 6% of the window, under the 10% threshold. */
const LEFT_BY_CO_TENANT = 36;
/** The replicas' load starts at REFILL and rises by SLOPE req/s every second, so what is left, */
/** LEFT_BY_CO_TENANT - SLOPE t²/2, runs out after EXHAUSTED_AFTER_SECONDS. */
const EXHAUSTED_AFTER_SECONDS = 95;
const SLOPE = (2 * LEFT_BY_CO_TENANT) / EXHAUSTED_AFTER_SECONDS ** 2;

const REQUESTS_LOW = 'OpenAIRequestsRemainingLow';
const TOKENS_LOW = 'OpenAITokensRemainingLow';
const RATE_LIMITED = 'OpenAIRateLimited';

/** The co-tenant: plain fetch on the same key, uninstrumented, until `left` requests remain. */
async function useQuotaDownTo(baseUrl: string, left: number): Promise<number> {
  let remaining = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 2 * REQUESTS_PER_WINDOW && remaining > left; i++) {
    const res = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'batch' }] }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`co-tenant got ${res.status}`);
    remaining = Number(res.headers.get('x-ratelimit-remaining-requests'));
  }
  return remaining;
}

describe.skipIf(prometheusTool.skip)('alerting end to end: replicas, the simulator and a real Prometheus', () => {
  let sim: Simulator | undefined;
  let replicas: Replicas | undefined;
  let prometheus: PrometheusServer | undefined;
  let watch: AlertWatch | undefined;
  afterAll(async () => {
    await watch?.stop();
    await replicas?.kill();
    await prometheus?.stop();
    await sim?.close();
  });

  it('pages once per quota before the first 429, and clears within one reset window after traffic stops', { timeout: 240_000 }, async () => {
    assertFound(prometheusTool);
    sim = await startSimulator({ requestsPerWindow: REQUESTS_PER_WINDOW, tokensPerWindow: 10_000_000, windowMs: WINDOW_SECONDS * 1000 });
    replicas = await startReplicas(REPLICAS, { baseUrl: sim.url, apiKey: API_KEY, model: MODEL });
    prometheus = await startPrometheus({
      ruleFiles: [rulesFile],
      scrapeJobs: [{ job: 'ramp-app', targets: replicas.targets, metricRelabelConfigs: bridgeJsExporterToCollectorNames() }],
    });
    await prometheus.waitForTargetsUp();
    const rules = await prometheus.rules();
    expect(rules.filter((r) => r.type === 'alerting').map((r) => r.name)).toEqual([
      TOKENS_LOW,
      REQUESTS_LOW,
      'OpenAITokensRunningOut',
      'OpenAIRequestsRunningOut',
      RATE_LIMITED,
      'OpenAIInsufficientQuota',
    ]);
    watch = watchAlerts(prometheus);

    const left = await useQuotaDownTo(sim.url, LEFT_BY_CO_TENANT);
    const rampStart = Date.now() + 50;
    replicas.broadcast({ cmd: 'ramp', startAt: rampStart, rate: REFILL, slope: SLOPE, maxRequests: 5_000, maxMs: 170_000 });

    const first429 = await replicas.waitForAny('429', 175_000);
    replicas.broadcast({ cmd: 'stop' });
    const stops = await Promise.all(replicas.list.map((r) => r.waitFor('stopped', 15_000)));
    const trafficStopped = Math.max(...stops.map((s) => s.at ?? 0));
    const errors = replicas.list.flatMap((r) => r.events.filter((e) => e.event === 'error'));
    expect(errors, 'replicas saw errors other than 429').toEqual([]);

    // The page came first: seen firing through the API before the first 429 reached an app...
    const requestsLow = watch.timeline(REQUESTS_LOW);
    expect(requestsLow.firstFiring, `${REQUESTS_LOW} never fired before the first 429`).toBeDefined();
    expect(requestsLow.firstFiring!).toBeLessThan(first429.at!);
    // ...and Prometheus' own record agrees: one firing alert (one quota, three replicas) just before it.
    const before429 = first429.at! / 1000 - 0.001;
    const firing = await prometheus.query(`ALERTS{alertname="${REQUESTS_LOW}", alertstate="firing"}`, before429);
    expect(firing).toHaveLength(1);
    expect(firing[0]!.metric).toMatchObject({ severity: 'warning', openai_organization: 'org-simulator', openai_project: 'proj_simulator' });
    expect(firing[0]!.metric).not.toHaveProperty('instance');
    expect(requestsLow.maxFiring).toBe(1);
    const reporting = await prometheus.query('count(openai_ratelimit_requests_remaining)', before429);
    expect(reporting[0]?.value, 'every replica reports the shared quota').toBe(REPLICAS);

    // The 429 pages too, once for the model, however many replicas were throttled.
    await watch.until(`${RATE_LIMITED} firing`, () => watch!.timeline(RATE_LIMITED).firstFiring !== undefined, 15_000);
    expect(watch.timeline(RATE_LIMITED).maxFiring).toBe(1);

    // Traffic stopped: the projected gauges refill and the page clears by itself within one reset window.
    const [reset] = await prometheus.query('max(openai_ratelimit_requests_reset_seconds)', trafficStopped / 1000);
    const resetWindowMs = (reset?.value ?? WINDOW_SECONDS) * 1000;
    await watch.until(`${REQUESTS_LOW} to clear`, () => requestsLow.cleared !== undefined, resetWindowMs + 15_000);
    expect(requestsLow.cleared! - trafficStopped).toBeLessThanOrEqual(resetWindowMs);
    expect(requestsLow.refired).toBe(false);
    expect(watch.timeline(TOKENS_LOW).firstFiring, 'the token quota was never short').toBeUndefined();

    const stats = stops.reduce((a, s) => ({ sent: a.sent + (s.sent ?? 0), limited: a.limited + (s.limited ?? 0) }), { sent: 0, limited: 0 });
    console.log(
      [
        `co-tenant left ${left}/${REQUESTS_PER_WINDOW} requests; ${REPLICAS} replicas sent ${stats.sent} (${stats.limited} got 429)`,
        `${REQUESTS_LOW}: pending ${((requestsLow.pendingSince! - rampStart) / 1000).toFixed(1)} s after the ramp started, firing (seen) at ${((requestsLow.firstFiring! - rampStart) / 1000).toFixed(1)} s`,
        `first 429 reached replica ${first429.replica} at ${((first429.at! - rampStart) / 1000).toFixed(1)} s: alert lead time ${((first429.at! - requestsLow.firstFiring!) / 1000).toFixed(1)} s`,
        `${RATE_LIMITED} firing (seen) ${((watch.timeline(RATE_LIMITED).firstFiring! - first429.at!) / 1000).toFixed(1)} s after the first 429`,
        `traffic stopped at ${((trafficStopped - rampStart) / 1000).toFixed(1)} s; ${REQUESTS_LOW} cleared ${((requestsLow.cleared! - trafficStopped) / 1000).toFixed(1)} s later (reset window ${(resetWindowMs / 1000).toFixed(1)} s)`,
      ].join('\n'),
    );
  });
});
