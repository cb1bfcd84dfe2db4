import { afterAll, describe, expect, it } from 'vitest';
import { watchAlerts, type AlertWatch } from '../helpers/alert-watch.ts';
import { startReplicas, type Replicas } from '../helpers/app-replicas.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { requireStack, stackPrograms } from '../helpers/stack-binaries.ts';

/**
 * The alerting promise through the real pipeline: replicas of an instrumented app (the
 * register entry point, OTLP) -> the Collector -> Prometheus 3 evaluating the shipped rules
 * with the shipped intervals (scrape 5 s, evaluation 15 s, `for: 1m`). The low-remaining page
 * fires before the first 429 reaches an app, once per quota however many replicas report
 * it; the 429 page fires once; both clear by themselves after the traffic stops.
 *
 * As in test/metrics/alert-e2e.test.ts, a co-tenant of the quota (uninstrumented, same key)
 * first uses all but 6% of the window, then the replicas' load rises from the refill rate so
 * that the rest lasts EXHAUSTED_AFTER_SECONDS: long enough for `for: 1m` plus what the pipeline
 * adds (export 1 s, batch 1 s, scrape 5 s, evaluation 15 s).
 */
// stack.test.ts prints the one line saying how to build the programs when they are missing.
const requirement = requireStack({ announce: false });

const REPLICAS = 3;
const API_KEY = 'sk-shared-quota';
const MODEL = 'gpt-4o-mini';
const WINDOW_SECONDS = 60;
const REQUESTS_PER_WINDOW = 600;
const REFILL = REQUESTS_PER_WINDOW / WINDOW_SECONDS;
const LEFT_BY_CO_TENANT = 36;
const EXHAUSTED_AFTER_SECONDS = 130;
const SLOPE = (2 * LEFT_BY_CO_TENANT) / EXHAUSTED_AFTER_SECONDS ** 2;
/** Export interval, batch timeout, scrape interval, evaluation interval: the most the pipeline lags. */
const PIPELINE_LAG_MS = 1_000 + 1_000 + 5_000 + 15_000;

const REQUESTS_LOW = 'OpenAIRequestsRemainingLow';
const TOKENS_LOW = 'OpenAITokensRemainingLow';
const RATE_LIMITED = 'OpenAIRateLimited';

/** The co-tenant: plain fetch on the same key, uninstrumented, until `left` requests remain (in parallel: the simulator answers after compose's latency). */
async function useQuotaDownTo(baseUrl: string, left: number): Promise<number> {
  const call = async (): Promise<number> => {
    const res = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'batch' }] }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`co-tenant got ${res.status}`);
    return Number(res.headers.get('x-ratelimit-remaining-requests'));
  };
  let remaining = await call();
  while (remaining > left) {
    // A few more than are left to use, or the refill during one round trip would keep up with it.
    const batch = Math.min(32, remaining - left + 3);
    remaining = Math.min(...(await Promise.all(Array.from({ length: batch }, call))));
  }
  return remaining;
}

describe.skipIf(requirement.skip)('alerting through the Collector on Prometheus 3, shipped rules and intervals', () => {
  let stack: Stack | undefined;
  let replicas: Replicas | undefined;
  let watch: AlertWatch | undefined;
  afterAll(async () => {
    await watch?.stop();
    await replicas?.kill();
    await stack?.stop();
  });

  it('pages once per quota before the first 429, pages the 429 once, and both clear', { timeout: 360_000 }, async () => {
    stack = await startStack({
      programs: stackPrograms(requirement),
      demoReplicas: 0,
      simulatorEnv: { SIM_WINDOW_MS: String(WINDOW_SECONDS * 1000), SIM_REQUESTS_PER_WINDOW: String(REQUESTS_PER_WINDOW), SIM_TOKENS_PER_WINDOW: '10000000' },
    });
    const t0 = Date.now();
    const progress = (what: string): void => console.log(`[alerts +${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
    progress('stack up');
    const prometheus = stack.prometheus;
    const rules = await prometheus.rules();
    expect(rules.filter((r) => r.type === 'alerting').map((r) => r.name)).toEqual(expect.arrayContaining([TOKENS_LOW, REQUESTS_LOW, RATE_LIMITED]));
    replicas = await startReplicas(REPLICAS, {
      baseUrl: stack.simulator.baseUrl,
      apiKey: API_KEY,
      model: MODEL,
      otlp: { endpoint: stack.collector.otlpHttpUrl, metricIntervalMs: 1_000 },
    });
    watch = watchAlerts(prometheus);
    progress('replicas ready');

    const left = await useQuotaDownTo(stack.simulator.baseUrl, LEFT_BY_CO_TENANT);
    progress(`co-tenant left ${left}`);
    const rampStart = Date.now() + 50;
    replicas.broadcast({ cmd: 'ramp', startAt: rampStart, rate: REFILL, slope: SLOPE, maxRequests: 8_000, maxMs: (EXHAUSTED_AFTER_SECONDS + 60) * 1000 });

    const first429 = await replicas.waitForAny('429', (EXHAUSTED_AFTER_SECONDS + 65) * 1000);
    progress(`first 429 (replica ${first429.replica})`);
    replicas.broadcast({ cmd: 'stop' });
    const stops = await Promise.all(replicas.list.map((r) => r.waitFor('stopped', 15_000)));
    const trafficStopped = Math.max(...stops.map((s) => s.at ?? 0));
    expect(replicas.list.flatMap((r) => r.events.filter((e) => e.event === 'error')), 'errors other than 429').toEqual([]);

    const requestsLow = watch.timeline(REQUESTS_LOW);
    expect(requestsLow.firstFiring, `${REQUESTS_LOW} never fired before the first 429\n${stack.logs()}`).toBeDefined();
    expect(requestsLow.firstFiring!).toBeLessThan(first429.at!);
    const before429 = first429.at! / 1000 - 0.001;
    const firing = await prometheus.query(`ALERTS{alertname="${REQUESTS_LOW}", alertstate="firing"}`, before429);
    expect(firing).toHaveLength(1);
    expect(firing[0]!.metric).toMatchObject({ severity: 'warning', openai_organization: 'org-simulator', openai_project: 'proj_simulator' });
    expect(firing[0]!.metric).not.toHaveProperty('instance');
    expect(requestsLow.maxFiring).toBe(1);
    // Three replicas, three `instance`s (service.instance.id), one quota.
    const reporting = await prometheus.query('count(openai_ratelimit_requests_remaining)', before429);
    expect(reporting[0]?.value, 'every replica reports the shared quota').toBe(REPLICAS);

    await watch.until(`${RATE_LIMITED} firing`, () => watch!.timeline(RATE_LIMITED).firstFiring !== undefined, PIPELINE_LAG_MS + 10_000);
    expect(watch.timeline(RATE_LIMITED).maxFiring).toBe(1);

    const [reset] = await prometheus.query('max(openai_ratelimit_requests_reset_seconds)', trafficStopped / 1000);
    const resetWindowMs = (reset?.value ?? WINDOW_SECONDS) * 1000;
    await watch.until(`${REQUESTS_LOW} to clear`, () => requestsLow.cleared !== undefined, resetWindowMs + PIPELINE_LAG_MS + 15_000);
    expect(requestsLow.cleared! - trafficStopped).toBeLessThanOrEqual(resetWindowMs + PIPELINE_LAG_MS);
    expect(requestsLow.refired).toBe(false);
    expect(watch.timeline(TOKENS_LOW).firstFiring, 'the token quota was never short').toBeUndefined();

    const stats = stops.reduce((a, s) => ({ sent: a.sent + (s.sent ?? 0), limited: a.limited + (s.limited ?? 0) }), { sent: 0, limited: 0 });
    console.log(
      [
        `co-tenant left ${left}/${REQUESTS_PER_WINDOW}; ${REPLICAS} replicas sent ${stats.sent} (${stats.limited} got 429)`,
        `${REQUESTS_LOW}: firing (seen) ${((requestsLow.firstFiring! - rampStart) / 1000).toFixed(1)} s after the ramp started; first 429 at ${((first429.at! - rampStart) / 1000).toFixed(1)} s: lead ${((first429.at! - requestsLow.firstFiring!) / 1000).toFixed(1)} s`,
        `${RATE_LIMITED} firing (seen) ${((watch.timeline(RATE_LIMITED).firstFiring! - first429.at!) / 1000).toFixed(1)} s after the first 429`,
        `${REQUESTS_LOW} cleared ${((requestsLow.cleared! - trafficStopped) / 1000).toFixed(1)} s after the traffic stopped (reset window ${(resetWindowMs / 1000).toFixed(1)} s)`,
      ].join('\n'),
    );
  });
});
