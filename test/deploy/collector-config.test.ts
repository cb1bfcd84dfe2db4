import { describe, expect, it } from 'vitest';
import { loadCollectorConfig, loadYaml, portOf, text, tree } from '../helpers/stack-files.ts';
import { list } from '../helpers/tree.ts';

/**
 * collector-config.yaml, parsed (the Collector can't run here: no binary, no Docker). Checked:
 * every pipeline's components exist and fit together, memory_limiter comes first, traces go to
 * Jaeger over OTLP and metrics to Prometheus under the documented names, and only component types that
 * otelcol-contrib 0.165.0 has, under their current (not deprecated) names.
 */
const config = loadCollectorConfig();

/** Component types of otelcol-contrib 0.165.0 this file may use (its manifest.yaml). */
const KNOWN = {
  receivers: ['otlp'],
  processors: ['memory_limiter', 'batch'],
  exporters: ['otlp_grpc', 'otlp_http', 'prometheus', 'debug'],
  extensions: ['health_check'],
};
/** Renamed in 0.14x; the old names still load, with a deprecation warning. */
const DEPRECATED = ['otlp', 'otlphttp'];

const typeOf = (id: string): string => id.split('/')[0] ?? id;

describe('collector-config.yaml', () => {
  it('receives OTLP over gRPC and HTTP on every interface', () => {
    const protocols = tree(tree(config.receivers['otlp'], 'otlp')['protocols'], 'protocols');
    expect(tree(protocols['grpc'], 'grpc')['endpoint']).toBe('0.0.0.0:4317');
    expect(tree(protocols['http'], 'http')['endpoint']).toBe('0.0.0.0:4318');
  });

  it('has a traces and a metrics pipeline whose every component is defined, and no unused one', () => {
    expect(config.pipelines.map((p) => p.name).sort()).toEqual(['metrics', 'traces']);
    const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
    for (const p of config.pipelines) {
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        for (const id of p[kind]) {
          expect(Object.keys(config[kind]), `${p.name}.${kind}: ${id}`).toContain(id);
          used[kind].add(id);
        }
      }
      expect(p.receivers.length, p.name).toBeGreaterThan(0);
      expect(p.exporters.length, p.name).toBeGreaterThan(0);
    }
    for (const kind of ['receivers', 'processors', 'exporters'] as const) expect([...used[kind]].sort()).toEqual(Object.keys(config[kind]).sort());
    expect([...config.serviceExtensions].sort()).toEqual(Object.keys(config.extensions).sort());
  });

  it('uses only component types of otelcol-contrib 0.165.0, under their current names', () => {
    for (const kind of ['receivers', 'processors', 'exporters', 'extensions'] as const) {
      for (const id of Object.keys(config[kind])) {
        expect(KNOWN[kind], `${kind}: ${id}`).toContain(typeOf(id));
        if (kind === 'exporters') expect(DEPRECATED, `${id} is a deprecated alias`).not.toContain(typeOf(id));
      }
    }
  });

  it('puts memory_limiter first and batches after it, in every pipeline', () => {
    for (const p of config.pipelines) {
      expect(p.processors[0], p.name).toBe('memory_limiter');
      expect(p.processors.slice(1), p.name).toContain('batch');
    }
    const limiter = tree(config.processors['memory_limiter'], 'memory_limiter');
    expect(limiter['check_interval']).toBe('1s');
    expect(Number(limiter['limit_percentage'])).toBeGreaterThan(Number(limiter['spike_limit_percentage']));
  });

  it('sends traces to Jaeger over OTLP/gRPC (plaintext inside the compose network)', () => {
    const traces = config.pipelines.find((p) => p.name === 'traces');
    expect(traces?.exporters.map(typeOf)).toEqual(['otlp_grpc']);
    const exporter = tree(config.exporters[traces?.exporters[0] ?? ''], 'traces exporter');
    expect(exporter['endpoint']).toBe('jaeger:4317');
    expect(tree(exporter['tls'], 'tls')['insecure']).toBe(true);
  });

  it("exposes metrics for Prometheus to scrape under the documented names (dots to underscores, unit suffixes)", () => {
    const metrics = config.pipelines.find((p) => p.name === 'metrics');
    expect(metrics?.exporters).toEqual(['prometheus']);
    const exporter = tree(config.exporters['prometheus'], 'prometheus');
    expect(exporter['translation_strategy']).toBe('UnderscoreEscapingWithSuffixes');
    expect(exporter['resource_to_telemetry_conversion']).toBeUndefined(); // job/instance only: no per-pod label explosion
    // Prometheus scrapes exactly that port, keeping the job/instance labels the exporter sets.
    const scrape = list(tree(loadYaml('deploy/prometheus/prometheus.yml'), 'prometheus.yml')['scrape_configs'], 'scrape_configs').map((j) => tree(j, 'job'));
    const apps = scrape.find((j) => j['job_name'] === 'openai-apps');
    expect(apps?.['honor_labels']).toBe(true);
    const staticConfig = tree(list(apps?.['static_configs'], 'static_configs')[0], 'static_configs[0]');
    const target = text(list(staticConfig['targets'], 'targets')[0], 'targets[0]');
    expect(portOf(target)).toBe(portOf(text(exporter['endpoint'], 'endpoint')));
  });

  it('answers health checks and serves its own metrics where compose and Prometheus look', () => {
    expect(tree(config.extensions['health_check'], 'health_check')['endpoint']).toBe('0.0.0.0:13133');
    const telemetry = tree(tree(tree(config.raw['service'], 'service')['telemetry'], 'telemetry')['metrics'], 'metrics');
    const reader = tree(tree(tree(list(telemetry['readers'], 'readers')[0], 'reader')['pull'], 'pull')['exporter'], 'exporter');
    expect(tree(reader['prometheus'], 'prometheus')).toMatchObject({ host: '0.0.0.0', port: 8888 });
  });
});
