import type { PrometheusAlert, PrometheusServer } from './prometheus.ts';

/** What one alert rule did while it was watched; times are epoch ms when a poll saw it. */
export interface AlertTimeline {
  /** First poll that saw it firing (it fired at or before this). */
  firstFiring: number | undefined;
  /** Its `activeAt` (when it went pending) as Prometheus reported it at first firing. */
  pendingSince: number | undefined;
  /** First poll after `firstFiring` that saw it no longer firing. */
  cleared: number | undefined;
  /** It fired again after clearing. */
  refired: boolean;
  /** Most alerts of this rule firing at once (one per quota expected). */
  maxFiring: number;
  /** Labels of the first firing alert. */
  labels: Record<string, string> | undefined;
}

export interface AlertWatch {
  readonly timelines: Map<string, AlertTimeline>;
  timeline(alertname: string): AlertTimeline;
  /** Resolves when `predicate` holds for a poll's view, or rejects after `timeoutMs`. */
  until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Polls Prometheus' `/api/v1/alerts` every `intervalMs` and keeps, per alert rule, when it was
 * first seen firing and when it cleared: wall-clock evidence to compare with app events.
 */
export function watchAlerts(prometheus: PrometheusServer, intervalMs = 250): AlertWatch {
  const timelines = new Map<string, AlertTimeline>();
  const timeline = (name: string): AlertTimeline => {
    let t = timelines.get(name);
    if (t === undefined) {
      t = { firstFiring: undefined, pendingSince: undefined, cleared: undefined, refired: false, maxFiring: 0, labels: undefined };
      timelines.set(name, t);
    }
    return t;
  };
  let running = true;
  let pollError: unknown;
  const observe = (alerts: PrometheusAlert[], at: number): void => {
    const firingByName = new Map<string, PrometheusAlert[]>();
    for (const alert of alerts) {
      const name = alert.labels['alertname'] ?? '';
      timeline(name);
      if (alert.state === 'firing') firingByName.set(name, [...(firingByName.get(name) ?? []), alert]);
    }
    for (const [name, t] of timelines) {
      const firing = firingByName.get(name) ?? [];
      t.maxFiring = Math.max(t.maxFiring, firing.length);
      if (firing.length > 0) {
        if (t.firstFiring === undefined) {
          t.firstFiring = at;
          t.pendingSince = Date.parse(firing[0]!.activeAt);
          t.labels = firing[0]!.labels;
        } else if (t.cleared !== undefined) t.refired = true;
      } else if (t.firstFiring !== undefined && t.cleared === undefined) t.cleared = at;
    }
  };
  const loop = (async () => {
    while (running) {
      try {
        const alerts = await prometheus.alerts();
        observe(alerts, Date.now());
      } catch (error) {
        pollError = error;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    timelines,
    timeline,
    async until(what, predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last poll error: ${String(pollError)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}
