import path from 'node:path';
import { answersOk, startManagedProcess, type ManagedProcess } from './managed-process.ts';
import { freePort } from './prometheus.ts';
import { loadCompose, loadYaml, repoPath, ROOT, service } from './stack-files.ts';
import { isTree } from './tree.ts';

/** The Collector built from deploy/stack/collector, running the shipped collector-config.yaml. */
export interface CollectorProcess extends ManagedProcess {
  /** OTLP/HTTP receiver, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly otlpHttpUrl: string;
  /** The health_check extension (compose's healthcheck probes `/`). */
  readonly healthUrl: string;
  /** `host:port` of the Prometheus exporter (compose: collector:8889). */
  readonly exporterAddress: string;
  /** `host:port` of its own metrics, otelcol_* (compose: collector:8888). */
  readonly telemetryAddress: string;
}

/**
 * Starts the Collector on the shipped collector-config.yaml, its addresses (and only those) set
 * through the variables the file reads; resolves once the health endpoint answers.
 */
export async function startCollector(binary: string, jaegerOtlpGrpc: string): Promise<CollectorProcess> {
  const [grpc, http, health, exporter, telemetry] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const healthUrl = `http://127.0.0.1:${health}/`;
  const process = await startManagedProcess({
    name: 'collector',
    command: binary,
    args: [`--config=${repoPath('collector-config.yaml')}`],
    env: {
      OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
      OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
      HEALTH_CHECK_ENDPOINT: `127.0.0.1:${health}`,
      JAEGER_OTLP_GRPC_ENDPOINT: jaegerOtlpGrpc,
      PROMETHEUS_EXPORTER_ENDPOINT: `127.0.0.1:${exporter}`,
      TELEMETRY_METRICS_HOST: '127.0.0.1',
      TELEMETRY_METRICS_PORT: String(telemetry),
      // As compose sets it: the Go runtime's soft limit under memory_limiter's.
      GOMEMLIMIT: service(loadCompose(), 'collector').environment['GOMEMLIMIT'] ?? '320MiB',
    },
    ready: () => answersOk(healthUrl),
  });
  return Object.assign(process, {
    otlpHttpUrl: `http://127.0.0.1:${http}`,
    healthUrl,
    exporterAddress: `127.0.0.1:${exporter}`,
    telemetryAddress: `127.0.0.1:${telemetry}`,
  });
}

/** Jaeger v2 (cmd/jaeger) with in-memory storage (deploy/stack/jaeger/config.yaml). */
export interface JaegerProcess extends ManagedProcess {
  /** `host:port` of its OTLP/gRPC receiver (compose: jaeger:4317). */
  readonly otlpGrpcAddress: string;
  /** Query API and UI (compose: :16686). */
  readonly queryUrl: string;
  /** healthcheckv2 (compose's healthcheck probes `/status`). */
  readonly healthUrl: string;
}

export async function startJaeger(binary: string): Promise<JaegerProcess> {
  const [otlp, query, queryGrpc, health] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const healthUrl = `http://127.0.0.1:${health}/status`;
  const queryUrl = `http://127.0.0.1:${query}`;
  const process = await startManagedProcess({
    name: 'jaeger',
    command: binary,
    args: [`--config=${repoPath('deploy/stack/jaeger/config.yaml')}`],
    env: {
      JAEGER_OTLP_GRPC_ENDPOINT: `127.0.0.1:${otlp}`,
      JAEGER_QUERY_HTTP_ENDPOINT: `127.0.0.1:${query}`,
      JAEGER_QUERY_GRPC_ENDPOINT: `127.0.0.1:${queryGrpc}`,
      JAEGER_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
      JAEGER_LOG_LEVEL: 'warn',
      // Jaeger traces its own queries to an OTLP endpoint on localhost:4317 unless told not to.
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_SDK_DISABLED: 'true',
    },
    ready: async () => (await answersOk(healthUrl)) && (await answersOk(`${queryUrl}/api/services`)),
  });
  return Object.assign(process, { otlpGrpcAddress: `127.0.0.1:${otlp}`, queryUrl, healthUrl });
}

/** Where the compose network's addresses are on this machine. */
export interface ComposeAddresses {
  /** compose `collector:8889` */
  readonly collectorExporter: string;
  /** compose `collector:8888` */
  readonly collectorTelemetry: string;
  /** compose `localhost:9090` (Prometheus scraping itself) */
  readonly prometheus: string;
}

/**
 * deploy/prometheus/prometheus.yml as compose runs it, with only the addresses changed:
 * scrape targets to where the programs listen here, rule files from their compose mount
 * point (/etc/prometheus/...) back to the repository. Prometheus doesn't expand environment
 * variables in its config, hence a rewritten copy. An address it doesn't know fails loudly,
 * so a new target in the shipped file can't go untested.
 */
export function shippedPrometheusConfig(addresses: ComposeAddresses): Record<string, unknown> {
  const file = 'deploy/prometheus/prometheus.yml';
  const config = loadYaml(file);
  if (!isTree(config)) throw new Error(`${file}: not a mapping`);
  const targets: Record<string, string> = {
    'collector:8889': addresses.collectorExporter,
    'collector:8888': addresses.collectorTelemetry,
    'localhost:9090': addresses.prometheus,
  };
  // compose: ./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro -> mount point to repo file
  const mounts = new Map(
    service(loadCompose(), 'prometheus').volumes.map((volume) => {
      const [source = '', target = ''] = volume.split(':');
      return [target, path.join(ROOT, source)] as const;
    }),
  );
  const ruleFiles = (Array.isArray(config['rule_files']) ? config['rule_files'] : []).map((f) => {
    const local = mounts.get(String(f));
    if (local === undefined) throw new Error(`${file}: rule file ${String(f)} is not mounted in compose`);
    return local;
  });
  const scrapeConfigs = (Array.isArray(config['scrape_configs']) ? config['scrape_configs'] : []).map((job) => {
    if (!isTree(job)) throw new Error(`${file}: a scrape config is not a mapping`);
    const statics = Array.isArray(job['static_configs']) ? job['static_configs'] : [];
    return {
      ...job,
      static_configs: statics.map((sc) => {
        if (!isTree(sc) || !Array.isArray(sc['targets'])) throw new Error(`${file}: job ${String(job['job_name'])}: static_configs without targets`);
        return {
          ...sc,
          targets: sc['targets'].map((t) => {
            const local = targets[String(t)];
            if (local === undefined) throw new Error(`${file}: job ${String(job['job_name'])}: no local address for target ${String(t)}`);
            return local;
          }),
        };
      }),
    };
  });
  return { ...config, rule_files: ruleFiles, scrape_configs: scrapeConfigs };
}
