import { describe, expect, it } from 'vitest';
import { durationSeconds, loadGrafanaRules, loadPrometheusRules } from '../helpers/alert-rules.ts';
import { ALLOWED_METRICS, metricNames } from '../helpers/promql-names.ts';
import { DASHBOARD_FILE, GRAFANA_ALERTS_FILE, GRAFANA_DATASOURCES_FILE } from '../helpers/promql-sources.ts';
import { loadJson, loadYaml, text, tree } from '../helpers/stack-files.ts';
import { list } from '../helpers/tree.ts';

/**
 * Grafana's provisioning files in the shapes Grafana's file provisioning reads (apiVersion 1):
 * datasources, the dashboard provider, and the alert rules, which must say what
 * deploy/prometheus/alerts.yml says. Their queries run on real Prometheus in promql.test.ts.
 */
const datasourcesFile = tree(loadYaml(GRAFANA_DATASOURCES_FILE), GRAFANA_DATASOURCES_FILE);
const datasources = list(datasourcesFile['datasources'], 'datasources').map((d) => tree(d, 'datasource'));
const alertsFile = tree(loadYaml(GRAFANA_ALERTS_FILE), GRAFANA_ALERTS_FILE);
const grafanaRules = loadGrafanaRules();
const prometheusRules = loadPrometheusRules();
const dashboard = tree(loadJson(DASHBOARD_FILE), DASHBOARD_FILE);
const normalize = (expr: string): string => expr.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();

describe('Grafana provisioning', () => {
  it('provisions Prometheus (default) and Jaeger under the uids the dashboard and rules use', () => {
    expect(datasourcesFile['apiVersion']).toBe(1);
    expect(datasources.map((d) => [d['uid'], d['type'], d['url'], d['isDefault'] === true])).toEqual([
      ['prometheus', 'prometheus', 'http://prometheus:9090', true],
      ['jaeger', 'jaeger', 'http://jaeger:16686', false],
    ]);
    // Trace to metrics: Jaeger's service.name is Prometheus' job (the Collector's mapping).
    const jaeger = tree(tree(datasources[1]?.['jsonData'], 'jsonData')['tracesToMetrics'], 'tracesToMetrics');
    expect(jaeger['datasourceUid']).toBe('prometheus');
    expect(list(jaeger['tags'], 'tags')).toEqual([{ key: 'service.name', value: 'job' }]);
  });

  it('loads dashboards from files, read-only, into one folder', () => {
    const file = tree(loadYaml('deploy/grafana/provisioning/dashboards/dashboards.yaml'), 'dashboards.yaml');
    expect(file['apiVersion']).toBe(1);
    const providers = list(file['providers'], 'providers').map((p) => tree(p, 'provider'));
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ type: 'file', folder: 'OpenAI', allowUiUpdates: false });
    // Found by title, so the alert rules' folder and this one are the same folder, whichever
    // Grafana provisions first (a pinned folderUid would clash with the one alerting creates).
    expect(providers[0]?.['folderUid']).toBeUndefined();
    expect(tree(list(alertsFile['groups'], 'groups')[0], 'groups[0]')['folder']).toBe(providers[0]?.['folder']);
  });
});

describe('Grafana-managed alert rules', () => {
  it('are well-formed: unique uids, every expression reads an existing query, conditions exist', () => {
    expect(alertsFile['apiVersion']).toBe(1);
    const group = tree(list(alertsFile['groups'], 'groups')[0], 'groups[0]');
    expect(group).toMatchObject({ orgId: 1, folder: 'OpenAI' });
    expect(durationSeconds(text(group['interval'], 'interval'))).toBeLessThanOrEqual(15);
    expect(new Set(grafanaRules.map((r) => r.uid)).size).toBe(grafanaRules.length);
    const uids = new Set(datasources.map((d) => d['uid']));
    for (const rule of grafanaRules) {
      const refIds = rule.refs.map((r) => r.refId);
      expect(refIds, rule.title).toContain(rule.condition);
      for (const ref of rule.refs) {
        if (ref.datasourceUid === '__expr__') expect(refIds, `${rule.title} ${ref.refId}`).toContain(ref.reads);
        else expect(uids, `${rule.title} ${ref.refId}`).toContain(ref.datasourceUid);
      }
      expect(rule.datasourceUid).toBe('prometheus');
      expect(rule.instant, rule.title).toBe(true);
      for (const name of metricNames(rule.expr)) expect(ALLOWED_METRICS, `${rule.title}: ${name}`).toContain(name);
      expect(rule.annotations['summary'], rule.title).toBeTruthy();
      expect(rule.annotations['description'], rule.title).toBeTruthy();
    }
  });

  it('open the dashboard panel that shows what they alert on', () => {
    const panels = list(dashboard['panels'], 'panels').map((p) => tree(p, 'panel'));
    for (const rule of grafanaRules) {
      expect(rule.annotations['__dashboardUid__']).toBe(dashboard['uid']);
      const panel = panels.find((p) => String(p['id']) === rule.annotations['__panelId__']);
      const exprs = JSON.stringify(panel?.['targets'] ?? []);
      const kind = /tokens/.exec(rule.expr)
        ? 'tokens_remaining'
        : /requests_remaining/.exec(rule.expr)
          ? 'requests_remaining'
          : /openai_error_code="insufficient_quota"/.exec(rule.expr)
            ? 'openai_error_code'
            : 'error_type=\\"429\\"';
      expect(exprs, rule.title).toContain(kind);
    }
  });

  it('are the Prometheus rules of alerts.yml: same names, severity, runbook, duration, grouping and threshold', () => {
    expect(grafanaRules.map((r) => r.title)).toEqual(prometheusRules.map((r) => r.alert));
    for (const rule of grafanaRules) {
      const twin = prometheusRules.find((r) => r.alert === rule.title);
      if (!twin) throw new Error(`no ${rule.title} in alerts.yml`);
      expect(rule.labels, rule.title).toEqual(twin.labels);
      expect(rule.annotations['runbook_url'], rule.title).toBe(twin.annotations['runbook_url']);
      expect(durationSeconds(rule.for), rule.title).toBe(durationSeconds(twin.for));
      // No data means no quota in use or no 429: that is quiet, not an alert.
      expect(rule.noDataState, rule.title).toBe('OK');
      // alerts.yml writes `<expr> < 0.10`; Grafana splits it into query A and threshold C.
      const split = /^([\s\S]*?)\s*<\s*([\d.]+)\s*$/.exec(twin.expr);
      if (split?.[1] && split[2] && !/\bor\b/.test(twin.expr)) {
        expect(rule.threshold, rule.title).toEqual({ type: 'lt', value: Number(split[2]) });
        expect(normalize(rule.expr), rule.title).toBe(normalize(split[1]));
      } else {
        // "Any 429": the condition is the expression itself; Grafana fires on any value > 0.
        expect(rule.threshold, rule.title).toEqual({ type: 'gt', value: 0 });
        expect(normalize(rule.expr), rule.title).toBe(normalize(twin.expr));
      }
    }
  });
});
