import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { startReplicas, type Replicas } from '../helpers/app-replicas.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { requireStack, stackPrograms } from '../helpers/stack-binaries.ts';
import type { AlertmanagerAlert, PagerNotification } from '../helpers/stack-services.ts';

/**
 * Pages reach a person and say whose they are: instrumented apps -> the Collector ->
 * Prometheus 3 (shipped rules) -> Alertmanager (shipped alertmanager.yml) -> the pager
 * (demo/pager.ts, the webhook receiver compose runs). Two projects of one organization, each on
 * its own OpenAI-compatible server, two app replicas each:
 *
 * - proj_alpha runs out of credit (insufficient_quota), then, while that page stands, its
 *   request window runs dry too: OpenAIRateLimited and OpenAIRequestsRemainingLow fire for it in
 *   Prometheus, and Alertmanager holds them back (inhibited by the billing stop).
 * - proj_beta's request window runs dry: its 429 page goes to the paging receiver and its
 *   low-remaining warning to the quiet one, each once for the quota its two replicas share,
 *   naming organization, project and model, with a summary and a runbook; the warning's
 *   resolved notification follows once the window has refilled past 10%.
 *
 * Alertmanager runs the shipped routing, grouping and inhibition; only the pager's address and
 * the route's group_interval (5m shipped, 20s here, so the resolved notification comes within
 * the test) differ.
 */
// stack.test.ts prints the one line saying how to build the programs when they are missing.
const requirement = requireStack({ announce: false });

const ORGANIZATION = 'org-acme';
const MODEL = 'gpt-4o-mini';
const REQUESTS_PER_WINDOW = 20;
/** 20 requests per 25 minutes: an emptied window takes 150 s to refill past 10%. */
const WINDOW_MS = 1_500_000;
const GROUP_INTERVAL = '20s';
const BURST_APP = fileURLToPath(new URL('../fixtures/apps/burst.mjs', import.meta.url));

const RATE_LIMITED = 'OpenAIRateLimited';
const REQUESTS_LOW = 'OpenAIRequestsRemainingLow';
const INSUFFICIENT_QUOTA = 'OpenAIInsufficientQuota';

type Alert = PagerNotification['notification']['alerts'][number];
const alertsOf = (received: readonly PagerNotification[]): Array<Alert & { receiver: string; notificationStatus: string }> =>
  received.flatMap((n) => n.notification.alerts.map((a) => ({ ...a, receiver: n.receiver, notificationStatus: n.notification.status })));

describe.skipIf(requirement.skip)('pages through Alertmanager to a webhook, shipped routing, grouping and inhibition', () => {
  let stack: Stack | undefined;
  const simulators: Simulator[] = [];
  const apps: Replicas[] = [];
  afterAll(async () => {
    for (const replicas of apps) await replicas.kill();
    for (const simulator of simulators) await simulator.close();
    await stack?.stop();
  });

  it('pages each quota once with whose it is and a runbook, resolves, and a billing stop silences its own project only', { timeout: 480_000 }, async () => {
    stack = await startStack({ programs: stackPrograms(requirement), demoReplicas: 0, alertmanagerTimers: { groupInterval: GROUP_INTERVAL } });
    const t0 = Date.now();
    const progress = (what: string): void => console.log(`[alertmanager +${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
    const { prometheus, alertmanager, pager } = stack;
    const project = async (name: string, apiKey: string): Promise<{ simulator: Simulator; replicas: Replicas }> => {
      const simulator = await startSimulator({
        organization: ORGANIZATION,
        project: name,
        requestsPerWindow: REQUESTS_PER_WINDOW,
        tokensPerWindow: 10_000_000,
        windowMs: WINDOW_MS,
      });
      simulators.push(simulator);
      const otlp = { endpoint: stack!.collector.otlpHttpUrl, metricIntervalMs: 1_000 };
      const replicas = await startReplicas(2, { baseUrl: simulator.url, apiKey, model: MODEL, otlp, app: BURST_APP });
      apps.push(replicas);
      return { simulator, replicas };
    };
    const alpha = await project('proj_alpha', 'sk-alpha');
    const beta = await project('proj_beta', 'sk-beta');
    progress('stack and 2 x 2 app replicas up');

    // proj_alpha: the billing stop first, so that it stands before anything else of alpha fires.
    alpha.simulator.setQuota({ apiKey: 'sk-alpha', exhausted: true });
    alpha.replicas.list[0]!.send({ cmd: 'burst', count: 1 });
    expect((await alpha.replicas.list[0]!.waitFor('stopped', 15_000)).codes).toEqual({ insufficient_quota: 1 });
    const billingStop = await prometheus.waitFor(
      `${INSUFFICIENT_QUOTA} for proj_alpha in Alertmanager`,
      async () => (await alertmanager.alerts()).find((a) => a.labels['alertname'] === INSUFFICIENT_QUOTA && a.labels['openai_project'] === 'proj_alpha'),
      60_000,
    );
    expect(billingStop.status.state).toBe('active');
    progress(`${INSUFFICIENT_QUOTA} for proj_alpha active in Alertmanager`);

    // Credit restored; both projects empty their request windows: 20 answered, then 429s.
    alpha.simulator.setQuota({ apiKey: 'sk-alpha', exhausted: false });
    alpha.replicas.list[1]!.send({ cmd: 'burst', count: 22 });
    for (const replica of beta.replicas.list) replica.send({ cmd: 'burst', count: 11 });
    const bursts = await Promise.all([alpha.replicas.list[1]!.waitFor('stopped', 30_000), ...beta.replicas.list.map((r) => r.waitFor('stopped', 30_000))]);
    const trafficStopped = Math.max(...bursts.map((b) => b.at ?? 0));
    expect(bursts[0]).toMatchObject({ ok: REQUESTS_PER_WINDOW, limited: 2, failed: 0 });
    expect(bursts.slice(1).reduce((n, b) => n + (b.ok ?? 0), 0)).toBe(REQUESTS_PER_WINDOW);
    progress('request windows of both projects emptied');

    // Alpha's 429 and low-remaining alerts fire in Prometheus but stay inhibited in Alertmanager.
    const inhibited = new Map<string, AlertmanagerAlert>();
    const sawInhibited = async (): Promise<true | undefined> => {
      for (const a of await alertmanager.alerts()) {
        if (a.labels['openai_project'] === 'proj_alpha' && a.labels['alertname'] !== INSUFFICIENT_QUOTA) inhibited.set(a.labels['alertname'] ?? '', a);
      }
      return inhibited.has(RATE_LIMITED) && inhibited.has(REQUESTS_LOW) ? true : undefined;
    };
    await prometheus.waitFor(`alpha's ${RATE_LIMITED} and ${REQUESTS_LOW} in Alertmanager`, sawInhibited, 150_000, 1_000);
    for (const name of [RATE_LIMITED, REQUESTS_LOW]) {
      expect(inhibited.get(name)?.status, name).toMatchObject({ state: 'suppressed', inhibitedBy: [billingStop.fingerprint] });
    }
    progress(`alpha's ${RATE_LIMITED} and ${REQUESTS_LOW} inhibited by its billing stop`);

    // Beta's pages: the 429 to the paging receiver, the warning to the quiet one, then resolved.
    const received = await prometheus.waitFor(
      `beta's ${REQUESTS_LOW} notified, then resolved`,
      async () => {
        const all = await pager.notifications();
        const resolved = all.some(
          (n) => n.receiver === '/quiet' && n.notification.status === 'resolved' && n.notification.groupLabels['openai_project'] === 'proj_beta',
        );
        return resolved ? all : undefined;
      },
      WINDOW_MS / 10 + 120_000,
      1_000,
    );
    const resolvedAt = Date.now();
    progress('beta warning resolved notification received');

    const byGroup = (receiver: string, projectName: string): PagerNotification[] =>
      received.filter((n) => n.receiver === receiver && n.notification.groupLabels['openai_project'] === projectName);
    // Every notification is one quota's group: provider, server, organization, project, model.
    for (const n of received) {
      expect(Object.keys(n.notification.groupLabels).sort(), JSON.stringify(n.notification.groupLabels)).toEqual(
        ['gen_ai_provider_name', 'openai_organization', 'openai_project', 'server_address', ...(n.notification.groupLabels['gen_ai_request_model'] ? ['gen_ai_request_model'] : [])].sort(),
      );
    }
    // Alpha: the billing stop pages, once, and nothing else of alpha ever reaches the pager.
    const alphaAlerts = alertsOf(received).filter((a) => a.labels['openai_project'] === 'proj_alpha');
    expect(new Set(alphaAlerts.map((a) => `${a.receiver} ${a.labels['alertname']}`))).toEqual(new Set([`/paging ${INSUFFICIENT_QUOTA}`]));
    const alphaPage = byGroup('/paging', 'proj_alpha')[0]!.notification;
    expect(alphaPage.alerts).toHaveLength(1);
    expect(alphaPage.alerts[0]!.labels).toMatchObject({ severity: 'critical', openai_organization: ORGANIZATION, openai_project: 'proj_alpha' });
    expect(alphaPage.alerts[0]!.annotations['runbook_url']).toBe('deploy/README.md#openaiinsufficientquota');

    // Beta: the 429 page, one alert for the quota both replicas share, saying whose and what to do.
    const betaPage = byGroup('/paging', 'proj_beta')[0]?.notification;
    expect(betaPage, 'beta 429 page').toBeDefined();
    expect(betaPage!.status).toBe('firing');
    expect(betaPage!.alerts.map((a) => a.labels['alertname'])).toEqual([RATE_LIMITED]);
    expect(betaPage!.alerts[0]!.labels).toMatchObject({
      severity: 'critical',
      openai_organization: ORGANIZATION,
      openai_project: 'proj_beta',
      gen_ai_request_model: MODEL,
    });
    expect(betaPage!.alerts[0]!.annotations).toMatchObject({
      summary: 'OpenAI is answering 429 (rate limited)',
      runbook_url: 'deploy/README.md#openairatelimited',
    });
    expect(betaPage!.alerts[0]!.annotations['description']).toContain(`${ORGANIZATION}/proj_beta`);
    // Beta's warning went to the quiet receiver, first firing, last resolved.
    const quiet = byGroup('/quiet', 'proj_beta');
    expect(quiet[0]!.notification.status).toBe('firing');
    const warning = quiet[0]!.notification.alerts.find((a) => a.labels['alertname'] === REQUESTS_LOW);
    expect(warning?.labels).toMatchObject({ severity: 'warning', openai_organization: ORGANIZATION, openai_project: 'proj_beta', gen_ai_request_model: MODEL });
    expect(warning?.annotations['runbook_url']).toBe('deploy/README.md#openairequestsremaininglow');
    const last = quiet.at(-1)!.notification;
    expect(last.status).toBe('resolved');
    expect(last.alerts.every((a) => a.status === 'resolved')).toBe(true);
    // No pager noise: a quota's warnings never on the paging receiver, its pages never on the quiet one.
    for (const a of alertsOf(received)) expect(a.receiver, a.labels['alertname']).toBe(a.labels['severity'] === 'critical' ? '/paging' : '/quiet');

    // In Prometheus, alpha's 429 alert did fire: the pager's silence about it is the inhibition.
    const alphaFired = await prometheus.query(`max_over_time(ALERTS{alertname="${RATE_LIMITED}", openai_project="proj_alpha", alertstate="firing"}[10m])`);
    expect(alphaFired).toHaveLength(1);

    console.log(
      [
        `notifications: ${received.length} (${received.map((n) => `${n.receiver} ${n.notification.status} ${n.notification.groupLabels['openai_project']}`).join('; ')})`,
        `beta's warning resolved notification ${((resolvedAt - trafficStopped) / 1000).toFixed(1)} s after the traffic stopped`,
        `inhibition: ${[...inhibited.values()].map((a) => `${a.labels['alertname']} ${a.labels['openai_project']} ${a.status.state} by ${a.status.inhibitedBy.join(',')}`).join('; ')} (${INSUFFICIENT_QUOTA} ${billingStop.fingerprint}); alpha at the pager: ${alphaAlerts.map((a) => `${a.receiver} ${a.labels['alertname']}`).join(', ')}`,
        `one page as received (trimmed): ${JSON.stringify({ receiver: betaPage!.receiver, status: betaPage!.status, groupLabels: betaPage!.groupLabels, alerts: betaPage!.alerts.map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt })) })}`,
      ].join('\n'),
    );
  });
});
