import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenCost } from '../../simulator/cost.ts';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import * as semconv from '../../src/semconv.ts';
import { firingHistory, firstFiring } from '../helpers/alert-history.ts';
import { startLoadReplicas, type LoadProfile, type LoadReplicas } from '../helpers/alert-load-replicas.ts';
import { assertFound, requireTool, startPrometheus, type PrometheusServer } from '../helpers/prometheus.ts';
import { bridgeJsExporterToCollectorNames } from '../helpers/prometheus-names.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

/**
 * Two 429s, two pages, end to end: replicas of an app share the simulator; one API key's credit
 * runs dry (the simulator's quota control: 429 insufficient_quota), another key overruns its
 * rate limit (429 rate_limit_exceeded). A real Prometheus evaluates the shipped rules: the dry
 * key pages OpenAIInsufficientQuota and not OpenAIRateLimited, the rate limit pages
 * OpenAIRateLimited. Runs where the instrumentation records openai.error.code (it reads the
 * error body: Node >= 24.4 and 26).
 */

const prometheusTool = requireTool('prometheus');
const rulesFile = fileURLToPath(new URL('../../deploy/prometheus/alerts.yml', import.meta.url));
const names: unknown[] = Object.values(semconv);
const ERROR_CODES_RECORDED = names.includes('openai.error.code') && bundledUndiciHasBodyChunks();

const TOKENS_PER_CALL = tokenCost('chat', { max_tokens: 8, messages: [{ role: 'user', content: 'ping' }] });
const DRY_KEY = 'sk-credit-runs-dry';
/** Calls the dry key can pay for. */
const DRY_CALLS = 10;
const DRY: LoadProfile = { name: 'dry', model: 'gpt-4o-mini-dry', apiKey: DRY_KEY, points: [[0, 5]], maxSeconds: 20, arrivals: 'even' };
/** 20 requests a window, asked for at 10 per second: 429 rate_limit_exceeded within 2 s. */
const LIMITED: LoadProfile = { name: 'limited', model: 'gpt-4o-mini-limited', apiKey: 'sk-rate-limited', points: [[0, 10]], maxSeconds: 20, arrivals: 'even' };

describe.runIf(ERROR_CODES_RECORDED && !prometheusTool.skip)('insufficient_quota end to end: its own page, and not the 429 page', () => {
  let sim: Simulator | undefined;
  let replicas: LoadReplicas | undefined;
  let prometheus: PrometheusServer | undefined;
  afterAll(async () => {
    await replicas?.kill();
    await prometheus?.stop();
    await sim?.close();
  });

  it('a key whose credit runs dry pages OpenAIInsufficientQuota once; a rate limit pages OpenAIRateLimited', { timeout: 90_000 }, async () => {
    assertFound(prometheusTool);
    sim = await startSimulator({ requestsPerWindow: 20, tokensPerWindow: 1_000_000, windowMs: 60_000 });
    const res = await fetch(`${sim.origin}/_simulator/quota`, { method: 'POST', body: JSON.stringify({ apiKey: DRY_KEY, remainingTokens: DRY_CALLS * TOKENS_PER_CALL }) });
    await res.arrayBuffer();
    expect(res.status).toBeLessThan(300);
    replicas = await startLoadReplicas({ count: 2, baseUrl: sim.url, serviceName: 'quota-app', metrics: 'pull' });
    prometheus = await startPrometheus({
      ruleFiles: [rulesFile],
      scrapeJobs: [{ job: 'quota-app', targets: replicas.targets, metricRelabelConfigs: bridgeJsExporterToCollectorNames() }],
    });
    await prometheus.waitForTargetsUp();
    const startAt = Date.now() + 500;
    replicas.run([DRY, LIMITED], startAt);

    const fired = await prometheus.waitFor(
      'OpenAIInsufficientQuota and OpenAIRateLimited firing',
      async () => {
        const alerts = (await prometheus!.alerts()).filter((a) => a.state === 'firing');
        const quota = alerts.filter((a) => a.labels['alertname'] === 'OpenAIInsufficientQuota');
        const limited = alerts.filter((a) => a.labels['alertname'] === 'OpenAIRateLimited');
        return quota.length > 0 && limited.length > 0 ? { quota, limited } : undefined;
      },
      30_000,
      250,
    );
    replicas.stop();
    // A few more evaluations, so a late OpenAIRateLimited for the dry key would show.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(replicas.first('429', DRY.name)?.code).toBe('insufficient_quota');
    expect(replicas.first('429', LIMITED.name)?.code).toBe('rate_limit_exceeded');
    expect(fired.quota.map((a) => a.labels)).toEqual([
      {
        alertname: 'OpenAIInsufficientQuota',
        severity: 'critical',
        gen_ai_provider_name: 'openai',
        server_address: '127.0.0.1',
        // Whose credit ran out: the simulator's organization and project.
        openai_organization: 'org-simulator',
        openai_project: 'proj_simulator',
      },
    ]);
    const history = await firingHistory(prometheus, startAt, Date.now());
    expect(firstFiring(history, 'OpenAIRateLimited', { gen_ai_request_model: LIMITED.model })).toBeDefined();
    expect(firstFiring(history, 'OpenAIRateLimited', { gen_ai_request_model: DRY.model }), 'the dry key paged as a rate limit too').toBeUndefined();
    expect(replicas.events.filter((e) => e.event === 'error')).toEqual([]);
  });
});
