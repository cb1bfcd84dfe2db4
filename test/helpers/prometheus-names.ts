import { INSTRUMENT_SPECS } from '../../src/metrics/instruments.ts';
import type { RelabelConfig } from './prometheus.ts';

/** Every instrument the code creates: OTel name, unit, kind (from the code's own table). */
export const INSTRUMENTS = Object.values(INSTRUMENT_SPECS).map(({ name, unit, kind }) => ({ name, unit, kind }));

/** Unit suffixes the Collector's Prometheus exporter appends; `{annotation}` units add none. */
const UNIT_SUFFIX: Record<string, string> = { s: 'seconds', ms: 'milliseconds', By: 'bytes' };

/**
 * The Prometheus name the OpenTelemetry Collector gives an instrument (its `prometheus` and
 * `prometheusremotewrite` exporters, `add_metric_suffixes: true`, the default): dots to
 * underscores, then the unit as a suffix. The README's metrics table lists these names.
 */
export function collectorPrometheusName(name: string, unit: string): string {
  const base = name.replace(/[^a-zA-Z0-9_]/g, '_');
  const suffix = UNIT_SUFFIX[unit];
  return suffix === undefined || base.endsWith(`_${suffix}`) ? base : `${base}_${suffix}`;
}

/**
 * The name `@opentelemetry/exporter-prometheus` (0.301) gives it: dots to underscores and no
 * unit suffix (it appends only `_total` to monotonic sums).
 */
export function jsExporterPrometheusName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/_{2,}/g, '_');
}

/**
 * `metric_relabel_configs` that rename what the JS exporter serves to the Collector's names,
 * so rules written for a Collector pipeline (the shipped ones) work on a direct scrape. This
 * is test set-up, not part of the shipped rules: see deploy/README.md's note on unit suffixes.
 */
export function bridgeJsExporterToCollectorNames(): RelabelConfig[] {
  const rules: RelabelConfig[] = [];
  for (const { name, unit, kind } of INSTRUMENTS) {
    const from = jsExporterPrometheusName(name);
    const to = collectorPrometheusName(name, unit);
    if (from === to) continue;
    rules.push(
      kind === 'histogram'
        ? { source_labels: ['__name__'], regex: `${from}_(bucket|sum|count)`, target_label: '__name__', replacement: `${to}_$1` }
        : { source_labels: ['__name__'], regex: from, target_label: '__name__', replacement: to },
    );
  }
  return rules;
}
