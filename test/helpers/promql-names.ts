import * as semconv from '../../src/semconv.ts';
import { collectorPrometheusName, INSTRUMENTS } from './prometheus-names.ts';

/** The documented response-body histograms, by their Prometheus names (until semconv.ts names them too). */
const BODY_HISTOGRAMS = ['gen_ai_client_token_usage', 'gen_ai_client_operation_time_to_first_chunk_seconds'];

/** Metric names a PromQL expression may use: the documented Prometheus names, and the series of histograms. */
export const ALLOWED_METRICS: ReadonlySet<string> = new Set([
  ...INSTRUMENTS.flatMap(({ name, unit, kind }) => {
    const base = collectorPrometheusName(name, unit);
    return kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
  }),
  ...BODY_HISTOGRAMS.flatMap((base) => [`${base}_bucket`, `${base}_sum`, `${base}_count`]),
]);

/** Label names: the documented metric attributes as Prometheus spells them, plus what Prometheus adds. */
export const ALLOWED_LABELS: ReadonlySet<string> = new Set([
  ...[
    semconv.ATTR_GEN_AI_PROVIDER_NAME,
    semconv.ATTR_GEN_AI_OPERATION_NAME,
    semconv.ATTR_GEN_AI_REQUEST_MODEL,
    semconv.ATTR_SERVER_ADDRESS,
    semconv.ATTR_ERROR_TYPE,
    semconv.ATTR_OPENAI_ORGANIZATION,
    semconv.ATTR_OPENAI_PROJECT,
    // The response-body attributes on the histograms.
    'openai.error.code',
    'gen_ai.token.type',
    'gen_ai.response.model',
  ].map((a) => a.replace(/\./g, '_')),
  'job',
  'instance',
  'le',
]);

/** Metric names in an expression: identifiers that start like ours and are not label names. */
export function metricNames(expr: string): string[] {
  return (expr.match(/\b(?:openai|gen_ai)_[a-z_]+\b/g) ?? []).filter((n) => !ALLOWED_LABELS.has(n));
}

/** Label names in `by (...)`, `without (...)`, `on (...)`, `group_left (...)` and `{...}` selectors. */
export function labelNames(expr: string): string[] {
  const names: string[] = [];
  for (const [, list = ''] of expr.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    names.push(...list.split(',').map((l) => l.trim()).filter(Boolean));
  }
  for (const [, matchers = ''] of expr.matchAll(/\{([^}]*)\}/g)) {
    for (const m of matchers.split(',')) {
      const name = /^\s*([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/.exec(m)?.[1];
      if (name) names.push(name);
    }
  }
  return names;
}
