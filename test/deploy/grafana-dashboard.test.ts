import { describe, expect, it } from 'vitest';
import { loadGrafanaRules } from '../helpers/alert-rules.ts';
import { ALLOWED_LABELS, ALLOWED_METRICS, labelNames, metricNames } from '../helpers/promql-names.ts';
import { DASHBOARD_FILE, dashboardExprs, interpolate } from '../helpers/promql-sources.ts';
import { loadCompose, loadJson, loadYaml, service, text, tree } from '../helpers/stack-files.ts';
import { isTree, list, walk, type Tree } from '../helpers/tree.ts';

/**
 * The dashboard JSON, checked the way Grafana would load it (Grafana itself can't run here):
 * layout, datasources, variables, and that it has what an on-call engineer needs. Its queries
 * run against real Prometheus in promql.test.ts.
 */
const dashboard = tree(loadJson(DASHBOARD_FILE), DASHBOARD_FILE);
const panels = list(dashboard['panels'], 'panels').map((p, i) => tree(p, `panels[${i}]`));
const variables = list(tree(dashboard['templating'], 'templating')['list'], 'templating.list').map((v) => tree(v, 'variable'));
const datasourceUids = new Set(
  list(tree(loadYaml('deploy/grafana/provisioning/datasources/datasources.yaml'), 'datasources.yaml')['datasources'], 'datasources').map((d) => text(tree(d, 'ds')['uid'], 'uid')),
);
const exprsOf = (panel: Tree): string[] => (Array.isArray(panel['targets']) ? panel['targets'] : []).flatMap((t) => (isTree(t) && typeof t['expr'] === 'string' ? [t['expr']] : []));
const defaults = (panel: Tree): Tree => tree(tree(panel['fieldConfig'], 'fieldConfig')['defaults'], 'defaults');
const FAKE_VARS = { service: 's', organization: '.*', project: '.*', model: '.*', __rate_interval: '1m' };

describe('the Grafana dashboard', () => {
  it('has a stable uid, a schema Grafana 12 reads, and refreshes by itself', () => {
    expect(dashboard).toMatchObject({ uid: 'openai-http-rate-limits', schemaVersion: 41, refresh: '10s', editable: true });
    expect(text(dashboard['title'], 'title')).toMatch(/OpenAI/);
  });

  it('lays out panels with unique ids on the 24-column grid, without overlaps', () => {
    const ids = panels.map((p) => p['id']);
    expect(new Set(ids).size).toBe(ids.length);
    const boxes = panels.map((p) => tree(p['gridPos'], `panel ${String(p['id'])}.gridPos`) as { x: number; y: number; w: number; h: number });
    for (const [i, b] of boxes.entries()) {
      expect(b.x >= 0 && b.w >= 1 && b.x + b.w <= 24 && b.h >= 1, `panel ${String(ids[i])}`).toBe(true);
      for (const [j, o] of boxes.entries()) {
        if (j <= i) continue;
        const overlap = b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h;
        expect(overlap, `panels ${String(ids[i])} and ${String(ids[j])} overlap`).toBe(false);
      }
    }
  });

  it('queries only the provisioned datasources', () => {
    for (const node of walk(dashboard)) {
      if (node.key !== 'datasource' || !isTree(node.value)) continue;
      const uid = String(node.value['uid']);
      if (uid === '-- Grafana --') continue;
      expect(datasourceUids, node.path).toContain(uid);
    }
  });

  it('defines every variable it uses', () => {
    const defined = new Set(variables.map((v) => text(v['name'], 'name')));
    const used = new Set<string>();
    for (const node of walk(dashboard)) {
      if (typeof node.value !== 'string') continue;
      for (const [, a, b] of node.value.matchAll(/\$\{([a-zA-Z_][\w.]*)(?::\w+)?\}|\$([a-zA-Z_]\w*)/g)) used.add((a ?? b ?? '').split('.')[0] ?? '');
    }
    for (const name of used) if (!name.startsWith('__')) expect(defined, `$${name}`).toContain(name);
    // "All" must also match series without the label (models the runtime could not read).
    for (const v of variables.filter((v) => v['includeAll'] === true)) expect(v['allValue'], String(v['name'])).toBe('.*');
  });

  it("uses only the documented Prometheus names and labels", () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThanOrEqual(20);
    for (const { expr, where } of exprs) {
      for (const name of metricNames(expr)) expect(ALLOWED_METRICS, `${where}: ${name}`).toContain(name);
      for (const label of labelNames(interpolate(expr, FAKE_VARS))) expect(ALLOWED_LABELS, `${where}: ${label}`).toContain(label);
    }
  });

  it('shows remaining/limit as a percent per organization and model, red where the alerts fire', () => {
    const quotaPanels = panels.filter((p) => exprsOf(p).some((e) => /_remaining\{[^}]*\}\s*\/\s*openai_ratelimit_\w+_limit/.test(e)));
    expect(quotaPanels.length).toBeGreaterThanOrEqual(3);
    const alertThreshold = loadGrafanaRules().find((r) => r.title === 'OpenAITokensRemainingLow')?.threshold.value ?? NaN;
    for (const panel of quotaPanels) {
      expect(defaults(panel)['unit']).toBe('percent');
      const legend = JSON.stringify(panel['targets']);
      expect(legend).toMatch(/openai_organization/);
      expect(legend).toMatch(/gen_ai_request_model/);
      // Aggregated across replicas: the lowest ratio wins, one series per quota.
      for (const e of exprsOf(panel)) expect(e).toMatch(/^100 \* min by \([^)]*openai_organization, openai_project, gen_ai_request_model\)/);
      const steps = list(tree(defaults(panel)['thresholds'], 'thresholds')['steps'], 'steps').map((s) => tree(s, 'step'));
      expect(steps[0]?.['color']).toBe('red');
      expect(steps[1]?.['value']).toBe(alertThreshold * 100);
    }
  });

  it('shows the reset countdown, call and 429 rates, p50/p95 by operation, server vs. client time', () => {
    const all = panels.map((p) => ({ title: String(p['title']), exprs: exprsOf(p).join('\n'), unit: isTree(p['fieldConfig']) ? defaults(p)['unit'] : undefined }));
    const find = (test: (p: (typeof all)[number]) => boolean): (typeof all)[number] | undefined => all.find(test);
    expect(find((p) => /openai_ratelimit_requests_reset_seconds/.test(p.exprs) && /openai_ratelimit_tokens_reset_seconds/.test(p.exprs))?.unit).toBe('s');
    expect(find((p) => /rate\(gen_ai_client_operation_duration_seconds_count\{[^}]*\}/.test(p.exprs) && /error_type="429"/.test(p.exprs))?.unit).toBe('reqps');
    const latency = find((p) => /histogram_quantile\(0\.5,/.test(p.exprs) && /histogram_quantile\(0\.95,/.test(p.exprs));
    expect(latency?.exprs).toMatch(/sum by \(le, gen_ai_operation_name\)/);
    expect(latency?.unit).toBe('s');
    const serverVsClient = find((p) => /openai_processing_duration_seconds/.test(p.exprs) && /gen_ai_client_operation_duration_seconds/.test(p.exprs));
    expect(serverVsClient?.unit).toBe('s');
  });

  it('links to Jaeger: search links, trace panels, and the request id box', () => {
    const jaegerUrl = variables.find((v) => v['name'] === 'jaeger_url');
    const published = service(loadCompose(), 'jaeger').ports.map((p) => p.split(':')[0]);
    expect(jaegerUrl?.['query']).toBe(`http://localhost:${published[0] ?? ''}`);
    const links = list(dashboard['links'], 'links').map((l) => text(tree(l, 'link')['url'], 'url'));
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const url of links) expect(url).toMatch(/^\$\{jaeger_url\}\/search\?service=\$\{service\}&/);
    expect(links.some((u) => decodeURIComponent(u).includes('"openai.request.id":"${request_id}"'))).toBe(true);
    expect(variables.find((v) => v['name'] === 'request_id')?.['type']).toBe('textbox');
    const tracePanels = panels.filter((p) => isTree(p['datasource']) && p['datasource']['uid'] === 'jaeger');
    expect(tracePanels.map((p) => JSON.stringify(p['targets']))).toEqual(
      expect.arrayContaining([expect.stringContaining('error=true'), expect.stringContaining('openai.request.id=\\"$request_id\\"')]),
    );
    // Panels with data links into Jaeger (from a latency series, from the 429s).
    const dataLinks = panels.flatMap((p) => (isTree(p['fieldConfig']) && Array.isArray(defaults(p)['links']) ? list(defaults(p)['links'], 'links') : []));
    expect(dataLinks.length).toBeGreaterThanOrEqual(2);
    for (const l of dataLinks) expect(text(tree(l, 'link')['url'], 'url')).toMatch(/^\$\{jaeger_url\}\/search\?/);
  });
});
