import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
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
  /** compose `alertmanager:9093` */
  readonly alertmanager: string;
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
  const alerting = isTree(config['alerting']) ? config['alerting'] : {};
  const alertmanagers = (Array.isArray(alerting['alertmanagers']) ? alerting['alertmanagers'] : []).map((am) => {
    if (!isTree(am) || !Array.isArray(am['static_configs'])) throw new Error(`${file}: alerting.alertmanagers: static_configs expected`);
    return {
      ...am,
      static_configs: am['static_configs'].map((sc) => {
        if (!isTree(sc) || !Array.isArray(sc['targets'])) throw new Error(`${file}: alerting.alertmanagers: static_configs without targets`);
        return {
          ...sc,
          targets: sc['targets'].map((t) => {
            if (String(t) !== 'alertmanager:9093') throw new Error(`${file}: alerting: no local address for ${String(t)}`);
            return addresses.alertmanager;
          }),
        };
      }),
    };
  });
  return { ...config, rule_files: ruleFiles, scrape_configs: scrapeConfigs, alerting: { ...alerting, alertmanagers } };
}

/** demo/pager.ts: the webhook receiver compose's Alertmanager notifies (compose: pager:9095). */
export interface PagerProcess extends ManagedProcess {
  /** `host:port` (compose: pager:9095). */
  readonly address: string;
  /** Every notification received so far, oldest first. */
  notifications(): Promise<PagerNotification[]>;
}

/** One webhook call: the receiver's URL path (`/paging`, `/quiet`) and Alertmanager's payload. */
export interface PagerNotification {
  readonly at: string;
  readonly receiver: string;
  readonly notification: AlertmanagerWebhook;
}

/** Alertmanager's webhook payload (version 4), the fields the tests read. */
export interface AlertmanagerWebhook {
  readonly version: string;
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly groupKey: string;
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly alerts: ReadonlyArray<{
    readonly status: 'firing' | 'resolved';
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly startsAt: string;
    readonly endsAt: string;
  }>;
}

export async function startPager(): Promise<PagerProcess> {
  const pager = service(loadCompose(), 'pager');
  const [command, ...args] = pager.command;
  if (command !== 'node') throw new Error(`compose pager: expected a node command, got ${pager.command.join(' ')}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const managed = await startManagedProcess({
    name: 'pager',
    command: process.execPath,
    args,
    cwd: ROOT,
    env: { ...pager.environment, HOST: '127.0.0.1', PORT: String(port) },
    ready: () => answersOk(`${url}/healthz`),
  });
  return Object.assign(managed, {
    address: `127.0.0.1:${port}`,
    notifications: async () => (await (await fetch(`${url}/notifications`)).json()) as PagerNotification[],
  });
}

/** Alertmanager built from deploy/stack/alertmanager, on the shipped alertmanager.yml. */
export interface AlertmanagerProcess extends ManagedProcess {
  /** `http://127.0.0.1:PORT` (compose: alertmanager:9093). */
  readonly url: string;
  /** `host:port`, for Prometheus' `alerting.alertmanagers` targets. */
  readonly address: string;
  /** GET /api/v2/alerts: every alert it holds, with whether it is inhibited and by what. */
  alerts(): Promise<AlertmanagerAlert[]>;
}

export interface AlertmanagerAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly status: { readonly state: 'active' | 'suppressed' | 'unprocessed'; readonly inhibitedBy: readonly string[]; readonly silencedBy: readonly string[] };
  readonly fingerprint: string;
}

/** Route timers to shorten, so a test need not wait the shipped 5-minute group_interval. */
export interface AlertmanagerTimers {
  readonly groupInterval?: string;
}

/**
 * deploy/alertmanager/alertmanager.yml with only the pager's address changed (and, when asked,
 * the route's group_interval): routing, grouping and inhibition are the shipped ones. An
 * address it doesn't know fails loudly, so a new receiver can't go untested.
 */
export function shippedAlertmanagerConfig(pagerAddress: string, timers: AlertmanagerTimers = {}): Record<string, unknown> {
  const file = 'deploy/alertmanager/alertmanager.yml';
  const config = loadYaml(file);
  if (!isTree(config) || !isTree(config['route']) || !Array.isArray(config['receivers'])) throw new Error(`${file}: no route or receivers`);
  const receivers = config['receivers'].map((receiver) => {
    if (!isTree(receiver)) throw new Error(`${file}: a receiver is not a mapping`);
    const { name, webhook_configs: webhooks, ...others } = receiver;
    if (Object.keys(others).length > 0 || !Array.isArray(webhooks)) throw new Error(`${file}: receiver ${String(name)}: only webhook_configs can be pointed at the test's pager`);
    return {
      name,
      webhook_configs: webhooks.map((webhook) => {
        if (!isTree(webhook)) throw new Error(`${file}: receiver ${String(name)}: a webhook is not a mapping`);
        const url = new URL(String(webhook['url']));
        if (url.host !== 'pager:9095') throw new Error(`${file}: receiver ${String(name)}: no local address for ${url.host}`);
        url.host = pagerAddress;
        return { ...webhook, url: url.toString() };
      }),
    };
  });
  const route = timers.groupInterval === undefined ? config['route'] : { ...config['route'], group_interval: timers.groupInterval };
  return { ...config, route, receivers };
}

export async function startAlertmanager(binary: string, config: Record<string, unknown>): Promise<AlertmanagerProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'alertmanager-test-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const managed = await startManagedProcess({
    name: 'alertmanager',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No gossip: one Alertmanager, and no fixed cluster port (9094) shared by parallel tests.
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    ready: () => answersOk(`${url}/-/ready`),
  });
  const stopProcess = managed.stop;
  return Object.assign(managed, {
    url,
    address: `127.0.0.1:${port}`,
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertmanagerAlert[],
    stop: async () => {
      await stopProcess();
      await rm(dir, { recursive: true, force: true });
    },
  });
}
