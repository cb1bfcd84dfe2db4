import type { PrometheusServer } from './prometheus.ts';

/** One alert (a rule and its labels) as Prometheus' own ALERTS series recorded it. */
export interface AlertHistory {
  readonly labels: Record<string, string>;
  /** Epoch ms of the evaluations at which it was in the state asked for (firing), in order. */
  readonly firing: number[];
}

/**
 * Every evaluation at which an alert was firing (or `pending`) between `start` and `end` (epoch
 * ms), from the raw samples of the ALERTS series: the rule evaluator's own record, to the
 * evaluation, not a poll of the API.
 */
export async function firingHistory(prometheus: PrometheusServer, start: number, end: number, state: 'firing' | 'pending' = 'firing'): Promise<AlertHistory[]> {
  const seconds = Math.ceil((end - start) / 1000) + 1;
  const query = `ALERTS{alertstate="${state}"}[${seconds}s]`;
  const params = new URLSearchParams({ query, time: String(end / 1000) });
  const res = await fetch(`${prometheus.url}/api/v1/query?${params}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; error?: string; data: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
  if (body.status !== 'success' || body.data.resultType !== 'matrix') throw new Error(`${query}: ${body.error ?? body.data.resultType}`);
  return body.data.result.map((r) => ({ labels: r.metric, firing: r.values.map(([t]) => Math.round(t * 1000)).filter((t) => t >= start) }));
}

/** The first evaluation at which `alertname` fired for the labels in `match`, or undefined. */
export function firstFiring(history: readonly AlertHistory[], alertname: string, match: Record<string, string> = {}): number | undefined {
  const times = history
    .filter((h) => h.labels['alertname'] === alertname && Object.entries(match).every(([k, v]) => h.labels[k] === v))
    .flatMap((h) => h.firing);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The last evaluation at which `alertname` was firing for the labels in `match`, or undefined. */
export function lastFiring(history: readonly AlertHistory[], alertname: string, match: Record<string, string> = {}): number | undefined {
  const times = history
    .filter((h) => h.labels['alertname'] === alertname && Object.entries(match).every(([k, v]) => h.labels[k] === v))
    .flatMap((h) => h.firing);
  return times.length > 0 ? Math.max(...times) : undefined;
}
