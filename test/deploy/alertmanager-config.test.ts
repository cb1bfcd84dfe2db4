import { describe, expect, it } from 'vitest';
import { loadPrometheusRules } from '../helpers/alert-rules.ts';
import { loadYaml, text, texts, tree } from '../helpers/stack-files.ts';
import { isTree, list, type Tree } from '../helpers/tree.ts';

/**
 * deploy/alertmanager/alertmanager.yml routes what alerts.yml fires, and Grafana's contact
 * points and notification policies (deploy/grafana/provisioning/alerting/) say the same for the
 * Grafana-managed twins. Grafana can't run here, so its files are read as files and held equal
 * to the Alertmanager file; `amtool check-config` and the routing itself run for real in
 * test/stack/alertmanager-config.test.ts and test/stack/alertmanager.test.ts.
 */
const ALERTMANAGER_FILE = 'deploy/alertmanager/alertmanager.yml';
const CONTACT_POINTS_FILE = 'deploy/grafana/provisioning/alerting/contact-points.yaml';
const POLICIES_FILE = 'deploy/grafana/provisioning/alerting/notification-policies.yaml';

const alertmanager = tree(loadYaml(ALERTMANAGER_FILE), ALERTMANAGER_FILE);
const QUOTA = ['gen_ai_provider_name', 'server_address', 'openai_organization', 'openai_project', 'gen_ai_request_model'];

type Matcher = [name: string, op: string, value: string];

/** A route as both tools mean it, each timer and the grouping resolved down from the parent. */
interface Route {
  receiver: string;
  matchers: Matcher[];
  groupBy: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  routes: Route[];
}

/** Alertmanager's matcher syntax, `name="value"` (also `!=`, `=~`, `!~`). */
function alertmanagerMatcher(source: string): Matcher {
  const m = /^\s*(\w+)\s*(=~|!~|!=|=)\s*"(.*)"\s*$/.exec(source);
  if (!m?.[1] || !m[2] || m[3] === undefined) throw new Error(`${ALERTMANAGER_FILE}: unreadable matcher ${source}`);
  return [m[1], m[2], m[3]];
}

function route(raw: Tree, where: string, parent: Route | undefined, matchers: (raw: Tree) => Matcher[]): Route {
  const timer = (key: string, inherited: string | undefined): string => (raw[key] === undefined ? (inherited ?? '') : text(raw[key], `${where}.${key}`));
  const own: Route = {
    receiver: timer('receiver', parent?.receiver),
    matchers: matchers(raw),
    groupBy: raw['group_by'] === undefined ? (parent?.groupBy ?? []) : texts(raw['group_by'], `${where}.group_by`),
    groupWait: timer('group_wait', parent?.groupWait),
    groupInterval: timer('group_interval', parent?.groupInterval),
    repeatInterval: timer('repeat_interval', parent?.repeatInterval),
    routes: [],
  };
  own.routes = (raw['routes'] === undefined ? [] : list(raw['routes'], `${where}.routes`)).map((r, i) => route(tree(r, `${where}.routes[${i}]`), `${where}.routes[${i}]`, own, matchers));
  return own;
}

const alertmanagerRoute = route(tree(alertmanager['route'], 'route'), 'route', undefined, (r) =>
  r['matchers'] === undefined ? [] : texts(r['matchers'], 'matchers').map(alertmanagerMatcher),
);

const policies = list(tree(loadYaml(POLICIES_FILE), POLICIES_FILE)['policies'], 'policies');
const grafanaRoute = route(tree(policies[0], 'policies[0]'), 'policies[0]', undefined, (r) =>
  r['object_matchers'] === undefined
    ? []
    : list(r['object_matchers'], 'object_matchers').map((m) => {
        const [name, op, value] = texts(m, 'object_matcher');
        if (name === undefined || op === undefined || value === undefined) throw new Error(`${POLICIES_FILE}: a matcher is not [name, op, value]`);
        return [name, op, value] as Matcher;
      }),
);

interface Receiver {
  name: string;
  webhooks: Array<{ url: string; sendResolved: boolean }>;
}

const alertmanagerReceivers: Receiver[] = list(alertmanager['receivers'], 'receivers').map((r, i) => {
  const receiver = tree(r, `receivers[${i}]`);
  return {
    name: text(receiver['name'], 'name'),
    webhooks: list(receiver['webhook_configs'], 'webhook_configs').map((w) => {
      const webhook = tree(w, 'webhook_config');
      // Alertmanager's webhook default is send_resolved: true.
      return { url: text(webhook['url'], 'url'), sendResolved: webhook['send_resolved'] !== false };
    }),
  };
});

const contactPoints = list(tree(loadYaml(CONTACT_POINTS_FILE), CONTACT_POINTS_FILE)['contactPoints'], 'contactPoints').map((c, i) => tree(c, `contactPoints[${i}]`));
const grafanaReceivers: Receiver[] = contactPoints.map((c) => ({
  name: text(c['name'], 'name'),
  webhooks: list(c['receivers'], 'receivers').map((r) => {
    const receiver = tree(r, 'receiver');
    if (receiver['type'] !== 'webhook') throw new Error(`${CONTACT_POINTS_FILE}: ${String(c['name'])}: only webhooks are compared, got ${String(receiver['type'])}`);
    return { url: text(tree(receiver['settings'], 'settings')['url'], 'url'), sendResolved: receiver['disableResolveMessage'] !== true };
  }),
}));

describe('Alertmanager configuration (deploy/alertmanager/alertmanager.yml)', () => {
  it('sends critical alerts to the paging receiver and warnings to the quiet one, and tells both when they resolve', () => {
    expect(alertmanagerRoute.routes.map((r) => [r.matchers, r.receiver])).toEqual([
      [[['severity', '=', 'critical']], 'openai-paging'],
      [[['severity', '=', 'warning']], 'openai-quiet'],
    ]);
    // Every severity the rules use has its route.
    const severities = new Set(loadPrometheusRules().map((r) => r.labels['severity']));
    expect(new Set(alertmanagerRoute.routes.map((r) => r.matchers[0]?.[2]))).toEqual(severities);
    for (const receiver of alertmanagerReceivers) for (const webhook of receiver.webhooks) expect(webhook.sendResolved, receiver.name).toBe(true);
  });

  it('groups per quota, so the replicas of every app sharing one page once', () => {
    for (const r of [alertmanagerRoute, ...alertmanagerRoute.routes]) expect(r.groupBy, r.receiver).toEqual(QUOTA);
  });

  it("inhibits a project's 429, low-remaining and forecast alerts while it is out of credit, and no other project's", () => {
    const rules = list(alertmanager['inhibit_rules'], 'inhibit_rules').map((r, i) => tree(r, `inhibit_rules[${i}]`));
    expect(rules).toHaveLength(1);
    const rule = rules[0]!;
    expect(texts(rule['source_matchers'], 'source_matchers').map(alertmanagerMatcher)).toEqual([['alertname', '=', 'OpenAIInsufficientQuota']]);
    const [target, ...more] = texts(rule['target_matchers'], 'target_matchers').map(alertmanagerMatcher);
    expect(more).toEqual([]);
    expect(target?.slice(0, 2)).toEqual(['alertname', '=~']);
    const silenced = (target?.[2] ?? '').split('|').sort();
    const others = loadPrometheusRules()
      .map((r) => r.alert)
      .filter((a) => a !== 'OpenAIInsufficientQuota')
      .sort();
    expect(silenced).toEqual(others);
    // Same organization and project (not model: a billing stop has none).
    expect(texts(rule['equal'], 'equal')).toEqual(['gen_ai_provider_name', 'server_address', 'openai_organization', 'openai_project']);
  });

  it("names receivers that exist, and Grafana's contact points are those receivers", () => {
    const used = new Set([alertmanagerRoute.receiver, ...alertmanagerRoute.routes.map((r) => r.receiver)]);
    expect(new Set(alertmanagerReceivers.map((r) => r.name))).toEqual(used);
    expect(grafanaReceivers).toEqual(alertmanagerReceivers);
    for (const c of contactPoints) expect(c['orgId'], String(c['name'])).toBe(1);
  });

  it("Grafana's notification policies are its route: receivers, matchers, grouping and timers", () => {
    expect(grafanaRoute).toEqual(alertmanagerRoute);
    expect(isTree(policies[0]) && policies[0]['orgId']).toBe(1);
  });
});
