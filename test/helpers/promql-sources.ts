import { loadJson, loadYaml } from './stack-files.ts';
import { isTree, walk } from './tree.ts';

/** One PromQL expression found in a shipped file. */
export interface PromqlExpr {
  readonly file: string;
  /** Path inside the file, e.g. `panels[3].targets[0].expr`. */
  readonly where: string;
  /** As written, Grafana variables and all. */
  readonly expr: string;
  /**
   * An alert condition (`... < 0.10`): it returns series only while the condition holds, so it
   * is checked over the whole run, not at one instant.
   */
  readonly condition: boolean;
}

export const DASHBOARD_FILE = 'deploy/grafana/dashboards/openai-rate-limits.json';
export const GRAFANA_ALERTS_FILE = 'deploy/grafana/provisioning/alerting/openai-rate-limits.yaml';
export const GRAFANA_DATASOURCES_FILE = 'deploy/grafana/provisioning/datasources/datasources.yaml';
export const PROMETHEUS_RULES_FILE = 'deploy/prometheus/alerts.yml';

/** Every `expr` anywhere in a parsed file (panels, nested rows, annotations, alert queries). */
function exprsIn(file: string, parsed: unknown, key: string, isCondition: (expr: string, path: string) => boolean): PromqlExpr[] {
  const found: PromqlExpr[] = [];
  for (const node of walk(parsed)) {
    if (node.key === key && typeof node.value === 'string' && node.value.trim() !== '') {
      found.push({ file, where: node.path, expr: node.value, condition: isCondition(node.value, node.path) });
    }
  }
  return found;
}

/**
 * A comparison filter (`> 0`, `< 0.10`) outside label matchers makes an expression a condition:
 * at the top level, or inside parentheses (a Grafana query whose threshold is a separate step but
 * which keeps only the quotas under a floor).
 */
function hasComparisonFilter(expr: string): boolean {
  let inMatchers = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '{') inMatchers++;
    else if (c === '}') inMatchers--;
    else if (inMatchers === 0 && (c === '<' || c === '>')) return true;
  }
  return false;
}

export function dashboardExprs(): PromqlExpr[] {
  return exprsIn(DASHBOARD_FILE, loadJson(DASHBOARD_FILE), 'expr', hasComparisonFilter);
}

export function grafanaAlertExprs(): PromqlExpr[] {
  return exprsIn(GRAFANA_ALERTS_FILE, loadYaml(GRAFANA_ALERTS_FILE), 'expr', hasComparisonFilter);
}

export function prometheusRuleExprs(): PromqlExpr[] {
  return exprsIn(PROMETHEUS_RULES_FILE, loadYaml(PROMETHEUS_RULES_FILE), 'expr', hasComparisonFilter);
}

/** The trace-to-metrics queries of the Jaeger datasource (they use `$__tags`). */
export function datasourceExprs(): PromqlExpr[] {
  return exprsIn(GRAFANA_DATASOURCES_FILE, loadYaml(GRAFANA_DATASOURCES_FILE), 'query', hasComparisonFilter);
}

export function allShippedExprs(): PromqlExpr[] {
  return [...dashboardExprs(), ...grafanaAlertExprs(), ...prometheusRuleExprs(), ...datasourceExprs()];
}

/** A dashboard variable that runs `label_values(selector, label)` against Prometheus. */
export interface LabelValuesQuery {
  readonly variable: string;
  readonly selector: string | undefined;
  readonly label: string;
}

export function dashboardLabelValuesQueries(): LabelValuesQuery[] {
  const dashboard = loadJson(DASHBOARD_FILE);
  const templating = isTree(dashboard) && isTree(dashboard['templating']) ? dashboard['templating']['list'] : undefined;
  const out: LabelValuesQuery[] = [];
  for (const variable of Array.isArray(templating) ? templating : []) {
    if (!isTree(variable) || variable['type'] !== 'query') continue;
    const definition = String(variable['definition'] ?? '');
    const match = /^label_values\((?:(.+),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(definition.trim());
    if (!match?.[2]) throw new Error(`variable ${String(variable['name'])}: not a label_values() query: ${definition}`);
    out.push({ variable: String(variable['name']), selector: match[1], label: match[2] });
  }
  return out;
}

/**
 * Replaces Grafana variables the way Grafana interpolates them before sending a query:
 * `$name`, `${name}`, `${name:format}` and `[[name]]`. Throws if a variable is left over, so a
 * typo in a dashboard fails the test instead of reaching Prometheus as `$modle`.
 */
export function interpolate(expr: string, variables: Readonly<Record<string, string>>): string {
  const names = Object.keys(variables).sort((a, b) => b.length - a.length);
  let out = expr;
  for (const name of names) {
    const value = variables[name] ?? '';
    out = out
      .replaceAll(new RegExp(`\\$\\{${escape(name)}(?::[a-z]+)?\\}`, 'g'), value)
      .replaceAll(`[[${name}]]`, value)
      .replaceAll(new RegExp(`\\$${escape(name)}(?![a-zA-Z0-9_])`, 'g'), value);
  }
  const left = /\$\{?[a-zA-Z_]\w*|\[\[\w+\]\]/.exec(out);
  if (left) throw new Error(`unknown Grafana variable ${left[0]} in: ${expr}`);
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
