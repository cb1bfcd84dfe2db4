import { GRAFANA_ALERTS_FILE, PROMETHEUS_RULES_FILE } from './promql-sources.ts';
import { loadYaml } from './stack-files.ts';
import { list, text, texts, tree, type Tree } from './tree.ts';

/** A Grafana threshold expression's evaluator: `lt 0.1` fires below 0.1. */
export interface Threshold {
  readonly type: 'lt' | 'gt';
  readonly value: number;
}

/** A Grafana-managed rule of the shape we ship: query A (PromQL), B = reduce(A), C = threshold(B). */
export interface GrafanaRule {
  readonly uid: string;
  readonly title: string;
  readonly condition: string;
  readonly datasourceUid: string;
  readonly expr: string;
  readonly instant: boolean;
  readonly threshold: Threshold;
  readonly for: string;
  readonly noDataState: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** refIds of the data entries, and what each one reads (`expression`). */
  readonly refs: ReadonlyArray<{ refId: string; datasourceUid: string; type: string | undefined; reads: string | undefined }>;
}

export interface PrometheusRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string | undefined;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

export function loadGrafanaRules(): GrafanaRule[] {
  const file = tree(loadYaml(GRAFANA_ALERTS_FILE), GRAFANA_ALERTS_FILE);
  return list(file['groups'], 'groups').flatMap((g, gi) =>
    list(tree(g, `groups[${gi}]`)['rules'], `groups[${gi}].rules`).map((r, ri) => grafanaRule(tree(r, `groups[${gi}].rules[${ri}]`))),
  );
}

function grafanaRule(rule: Tree): GrafanaRule {
  const title = text(rule['title'], 'title');
  const data = list(rule['data'], `${title}.data`).map((d, i) => tree(d, `${title}.data[${i}]`));
  const refs = data.map((d) => {
    const model = tree(d['model'], `${title}.data.model`);
    return {
      refId: text(d['refId'], `${title}.data.refId`),
      datasourceUid: text(d['datasourceUid'], `${title}.data.datasourceUid`),
      type: typeof model['type'] === 'string' ? model['type'] : undefined,
      reads: typeof model['expression'] === 'string' ? model['expression'] : undefined,
      model,
    };
  });
  const query = refs.find((r) => r.datasourceUid !== '__expr__');
  const threshold = refs.find((r) => r.type === 'threshold');
  if (!query || !threshold) throw new Error(`${title}: expected a query and a threshold`);
  const evaluator = tree(tree(list(threshold.model['conditions'], `${title}.conditions`)[0], `${title}.conditions[0]`)['evaluator'], `${title}.evaluator`);
  const type = text(evaluator['type'], `${title}.evaluator.type`);
  if (type !== 'lt' && type !== 'gt') throw new Error(`${title}: unexpected evaluator ${type}`);
  const params = list(evaluator['params'], `${title}.evaluator.params`);
  return {
    uid: text(rule['uid'], `${title}.uid`),
    title,
    condition: text(rule['condition'], `${title}.condition`),
    datasourceUid: query.datasourceUid,
    expr: text(query.model['expr'], `${title}.expr`),
    instant: query.model['instant'] === true,
    threshold: { type, value: Number(params[0]) },
    for: text(rule['for'], `${title}.for`),
    noDataState: text(rule['noDataState'], `${title}.noDataState`),
    labels: strings(rule['labels'], `${title}.labels`),
    annotations: strings(rule['annotations'], `${title}.annotations`),
    refs: refs.map(({ refId, datasourceUid, type: t, reads }) => ({ refId, datasourceUid, type: t, reads })),
  };
}

export function loadPrometheusRules(): PrometheusRule[] {
  const file = tree(loadYaml(PROMETHEUS_RULES_FILE), PROMETHEUS_RULES_FILE);
  return list(file['groups'], 'groups').flatMap((g, gi) =>
    list(tree(g, `groups[${gi}]`)['rules'], `groups[${gi}].rules`).map((r, ri) => {
      const rule = tree(r, `groups[${gi}].rules[${ri}]`);
      return {
        alert: text(rule['alert'], 'alert'),
        expr: text(rule['expr'], 'expr'),
        for: rule['for'] === undefined ? undefined : text(rule['for'], 'for'),
        labels: strings(rule['labels'], 'labels'),
        annotations: strings(rule['annotations'], 'annotations'),
      };
    }),
  );
}

export function thresholdHolds(threshold: Threshold, value: number): boolean {
  return threshold.type === 'lt' ? value < threshold.value : value > threshold.value;
}

/** A series' identity without its metric name, for comparing result sets. */
export function seriesKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).filter(([k]) => k !== '__name__').sort(([a], [b]) => a.localeCompare(b)));
}

/** `0s` and no `for` are the same; `1m` = `60s`. */
export function durationSeconds(duration: string | undefined): number {
  if (duration === undefined) return 0;
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'];
  return total;
}

function strings(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(tree(value, where)).map(([k, v]) => [k, text(v, `${where}.${k}`)]));
}

export { texts };
