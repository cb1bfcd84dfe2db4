import type { PrometheusServer } from './prometheus.ts';

/** One setting of the forecast rule: horizon N, floor F, deriv range R and `for`, in real seconds. */
export interface ForecastSetting {
  readonly horizonSeconds: number;
  readonly floor: number;
  readonly rangeSeconds: number;
  readonly forSeconds: number;
}

export interface SweepRow extends ForecastSetting {
  /** Per quota (model): the first evaluation at which this setting would have fired, epoch ms. */
  readonly firstFiring: Record<string, number | undefined>;
}

const QUOTA = 'gen_ai_provider_name, server_address, openai_organization, openai_project, gen_ai_request_model';

/** The shipped forecast expression for requests with another horizon, floor and range (seconds on the test's clock). */
export function forecastExpr(horizon: number, floor: number, rangeMs: number): string {
  return `(
  min by (${QUOTA}) (
    openai_ratelimit_requests_remaining / (-deriv(openai_ratelimit_requests_remaining[${Math.round(rangeMs)}ms]) > 0)
  )
  and on (${QUOTA})
  min by (${QUOTA}) (openai_ratelimit_requests_remaining / openai_ratelimit_requests_limit) < ${floor}
) < ${horizon}`;
}

/**
 * Replays other settings of the forecast rule over data a run recorded: each (horizon, floor,
 * range) is one range query at the rule evaluator's step, and `for` is applied to its result as
 * the evaluator does (firing once the condition has held at every evaluation for that long).
 * This is how settings are compared on the same traffic, without a run per setting.
 */
export async function sweepForecast(
  prometheus: PrometheusServer,
  settings: readonly ForecastSetting[],
  window: { start: number; end: number; evalSeconds: number; timeScale: number },
): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  const byQuery = new Map<string, ForecastSetting[]>();
  for (const s of settings) {
    const key = `${s.horizonSeconds}|${s.floor}|${s.rangeSeconds}`;
    byQuery.set(key, [...(byQuery.get(key) ?? []), s]);
  }
  for (const group of byQuery.values()) {
    const { horizonSeconds, floor, rangeSeconds } = group[0]!;
    const expr = forecastExpr(horizonSeconds / window.timeScale, floor, (rangeSeconds * 1000) / window.timeScale);
    const series = await prometheus.queryRange(expr, window.start / 1000, window.end / 1000, window.evalSeconds);
    for (const setting of group) {
      const forMs = (setting.forSeconds * 1000) / window.timeScale;
      const firstFiring: Record<string, number | undefined> = {};
      for (const s of series) {
        const model = s.metric['gen_ai_request_model'] ?? '';
        let runStart: number | undefined;
        let previous: number | undefined;
        for (const point of s.values) {
          const t = Math.round(point.time * 1000);
          // A gap of more than one evaluation means the condition stopped holding in between.
          if (previous === undefined || t - previous > window.evalSeconds * 1000 * 1.5) runStart = t;
          previous = t;
          if (t - runStart! >= forMs) {
            firstFiring[model] = Math.min(firstFiring[model] ?? Infinity, t);
            break;
          }
        }
      }
      rows.push({ ...setting, firstFiring });
    }
  }
  return rows;
}
