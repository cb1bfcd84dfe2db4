import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bindSource,
  fromImages,
  loadCollectorConfig,
  loadCompose,
  loadYaml,
  portOf,
  readRepoFile,
  repoPath,
  service,
  text,
  tree,
  type ComposeService,
} from '../helpers/stack-files.ts';
import { list } from '../helpers/tree.ts';

/**
 * docker-compose.yml can't run here (no Docker daemon), so this reads it the way Compose would
 * (merge keys resolved) and checks that the pieces fit: services, pinned images, healthchecks
 * and the conditions that wait on them, ports, bind mounts and the host:port each service
 * uses to reach another. The processes themselves run for real in promql.test.ts and
 * otlp-traces.test.ts.
 */
const services = loadCompose();
const collector = loadCollectorConfig();
const svc = (name: string): ComposeService => service(services, name);
const prometheusYml = tree(loadYaml('deploy/prometheus/prometheus.yml'), 'prometheus.yml');
const alertmanagerYml = tree(loadYaml('deploy/alertmanager/alertmanager.yml'), 'alertmanager.yml');

/** The version of `module` that deploy/stack/<dir>/go.mod requires. */
function goModuleVersion(dir: string, module: string): string {
  const found = new RegExp(`^\\s*${module.replace(/[./]/g, '\\$&')} (v\\S+)`, 'm').exec(readRepoFile(`deploy/stack/${dir}/go.mod`));
  if (!found?.[1]) throw new Error(`deploy/stack/${dir}/go.mod does not require ${module}`);
  return found[1];
}

/** name:1.2.3 (optionally -variant and @sha256:...): a release, never `latest` or a bare major. */
const PINNED = /^[a-z0-9./_-]+:v?\d+\.\d+\.\d+(?:-[a-z0-9.]+)?(?:@sha256:[0-9a-f]{64})?$/;

/** Every image a service runs or builds from. */
function imagesOf(s: ComposeService): string[] {
  if (s.image) return [s.image];
  if (s.build?.inline) return fromImages(s.build.inline);
  if (s.build?.dockerfile) return fromImages(readRepoFile(s.build.dockerfile));
  throw new Error(`${s.name}: neither image nor build`);
}

/** Ports a service listens on inside its container, from its own configuration. */
function listens(name: string): number[] {
  const receivers = tree(collector.receivers['otlp'], 'otlp');
  const protocols = tree(receivers['protocols'], 'otlp.protocols');
  switch (name) {
    case 'collector':
      return [
        portOf(text(tree(protocols['grpc'], 'grpc')['endpoint'], 'grpc.endpoint')),
        portOf(text(tree(protocols['http'], 'http')['endpoint'], 'http.endpoint')),
        portOf(text(tree(collector.exporters['prometheus'], 'prometheus')['endpoint'], 'prometheus.endpoint')),
        portOf(text(tree(collector.extensions['health_check'], 'health_check')['endpoint'], 'health_check.endpoint')),
        8888, // service.telemetry metrics reader (collector-config.test.ts checks it)
      ];
    case 'simulator':
      return [Number(svc('simulator').environment['PORT'])];
    case 'jaeger':
      return [4317, 4318, 13133, 16686]; // jaegertracing/jaeger all-in-one defaults
    case 'prometheus':
      return [9090];
    case 'grafana':
      return [3000];
    case 'alertmanager':
      return [9093];
    case 'pager':
      return [Number(svc('pager').environment['PORT'])];
    default:
      return [];
  }
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url.includes('://') ? url : `http://${url}`);
  return { host: u.hostname, port: Number(u.port) };
}

describe('docker-compose.yml', () => {
  it('runs the Collector, Jaeger, Prometheus, Alertmanager and its pager, Grafana, the simulator and the demo', () => {
    expect([...services.keys()].sort()).toEqual(['alertmanager', 'collector', 'demo', 'grafana', 'jaeger', 'pager', 'prometheus', 'simulator']);
    expect(svc('alertmanager').image).toMatch(/^prom\/alertmanager:v0\./);
    expect(svc('jaeger').image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(imagesOf(svc('collector')).at(-1)).toMatch(/^otel\/opentelemetry-collector-contrib:/);
    expect(svc('prometheus').image).toMatch(/^prom\/prometheus:v3\./);
    expect(svc('grafana').image).toMatch(/^grafana\/grafana:/);
  });

  it('needs no .env: every ${VARIABLE} it reads has a default', () => {
    const variables = [...readRepoFile('docker-compose.yml').matchAll(/\$\{[^}]*\}/g)].map((m) => m[0]);
    expect(variables.length).toBeGreaterThan(0);
    for (const v of variables) expect(v).toMatch(/^\$\{\w+:-[^}]+\}$/);
  });

  it('pins every image, including the ones the builds start FROM', () => {
    for (const s of services.values()) for (const image of imagesOf(s)) expect(image, s.name).toMatch(PINNED);
  });

  it('runs the releases the stack tests build from Go modules (deploy/stack/*/go.mod)', () => {
    // Jaeger's Go module is tagged v1.x alongside each v2 release: v1.75.0 is Jaeger 2.12.0.
    const jaeger = /^v1\.(\d+)\.(\d+)$/.exec(goModuleVersion('jaeger', 'github.com/jaegertracing/jaeger'));
    expect(svc('jaeger').image).toBe(`jaegertracing/jaeger:2.${Number(jaeger?.[1]) - 63}.${jaeger?.[2] ?? ''}`);
    // Prometheus' module v0.316.0 is Prometheus 3.16.0.
    const prometheus = /^v0\.(\d+)(\d\d)\.(\d+)$/.exec(goModuleVersion('prometheus', 'github.com/prometheus/prometheus'));
    expect(svc('prometheus').image).toBe(`prom/prometheus:v${prometheus?.[1] ?? ''}.${Number(prometheus?.[2])}.${prometheus?.[3] ?? ''}`);
    // Alertmanager's module versions are its releases.
    expect(svc('alertmanager').image).toBe(`prom/alertmanager:${goModuleVersion('alertmanager', 'github.com/prometheus/alertmanager')}`);
  });

  it('runs the Collector version collector-config.yaml is written for', () => {
    const image = imagesOf(svc('collector')).find((i) => i.includes('opentelemetry-collector-contrib')) ?? '';
    const version = image.slice(image.indexOf(':') + 1);
    expect(readRepoFile('collector-config.yaml')).toContain(`otel/opentelemetry-collector-contrib ${version}`);
  });

  it('gives every long-running backend a healthcheck that probes a port it listens on', () => {
    for (const s of services.values()) {
      if (s.name === 'demo') continue; // a client: nothing waits on it, and it serves nothing
      expect(s.healthcheck, s.name).toBeDefined();
      const probe = (s.healthcheck ?? []).join(' ');
      const url = /https?:\/\/[^\s'",)]+/.exec(probe)?.[0];
      expect(url, `${s.name}: ${probe}`).toBeDefined();
      expect(listens(s.name), `${s.name} probes ${url}`).toContain(hostPort(url ?? '').port);
    }
    // The Collector image has no shell or wget: the probe is the busybox the build adds.
    expect(svc('collector').build?.inline).toMatch(/COPY --from=\S+ \/bin\/busybox \/busybox/);
    expect(svc('collector').healthcheck?.[1]).toBe('/busybox');
  });

  it('waits on healthchecks with depends_on conditions, with no cycle', () => {
    for (const s of services.values()) {
      for (const [dependency, condition] of Object.entries(s.dependsOn)) {
        expect(services.has(dependency), `${s.name} -> ${dependency}`).toBe(true);
        expect(condition, `${s.name} -> ${dependency}`).toBe('service_healthy');
        expect(svc(dependency).healthcheck, `${dependency} has no healthcheck to wait for`).toBeDefined();
      }
    }
    expect(svc('demo').dependsOn).toEqual({ simulator: 'service_healthy', collector: 'service_healthy' });
    expect(svc('grafana').dependsOn).toMatchObject({ prometheus: 'service_healthy', jaeger: 'service_healthy' });
    expect(svc('prometheus').dependsOn).toMatchObject({ alertmanager: 'service_healthy' });
    expect(svc('alertmanager').dependsOn).toEqual({ pager: 'service_healthy' });
    const visiting = new Set<string>();
    const visit = (name: string): void => {
      expect(visiting.has(name), `depends_on cycle through ${name}`).toBe(false);
      visiting.add(name);
      for (const next of Object.keys(svc(name).dependsOn)) visit(next);
      visiting.delete(name);
    };
    for (const name of services.keys()) visit(name);
  });

  it('publishes the UIs and OTLP on distinct host ports, each mapped to a port the service listens on', () => {
    const published = new Map<number, string>();
    for (const s of services.values()) {
      for (const mapping of s.ports) {
        const [host = '', container = ''] = mapping.split(':');
        expect(published.has(Number(host)), `host port ${host} used twice`).toBe(false);
        published.set(Number(host), s.name);
        expect(listens(s.name), `${s.name} ${mapping}`).toContain(Number(container));
      }
    }
    expect(Object.fromEntries([...published].sort(([a], [b]) => a - b))).toEqual({
      3000: 'grafana',
      4317: 'collector',
      4318: 'collector',
      8787: 'simulator',
      9090: 'prometheus',
      9093: 'alertmanager',
      9095: 'pager',
      16686: 'jaeger',
    });
  });

  it('mounts files that exist, where each service reads them', () => {
    for (const s of services.values()) {
      for (const volume of s.volumes) {
        const { source, exists } = bindSource(volume);
        expect(source.startsWith('./'), `${s.name}: ${volume} is a bind mount of a repo path`).toBe(true);
        expect(exists, `${s.name}: ${source} missing`).toBe(true);
        expect(volume.endsWith(':ro'), `${s.name}: ${volume} read-only`).toBe(true);
      }
    }
    const target = (s: string, source: string): string | undefined => svc(s).volumes.map(bindSource).find((v) => v.source === source)?.target;
    const configFlag = svc('collector').command.find((c) => c.startsWith('--config='))?.slice('--config='.length);
    expect(target('collector', './collector-config.yaml')).toBe(configFlag);
    const promConfig = svc('prometheus').command.find((c) => c.startsWith('--config.file='))?.slice('--config.file='.length);
    expect(target('prometheus', './deploy/prometheus/prometheus.yml')).toBe(promConfig);
    // The rule file prometheus.yml loads is the other engineer's alerts.yml, mounted.
    expect(list(prometheusYml['rule_files'], 'rule_files')).toEqual([target('prometheus', './deploy/prometheus/alerts.yml')]);
    const amConfig = svc('alertmanager').command.find((c) => c.startsWith('--config.file='))?.slice('--config.file='.length);
    expect(target('alertmanager', './deploy/alertmanager/alertmanager.yml')).toBe(amConfig);
    expect(svc('pager').command).toEqual(['node', 'demo/pager.ts']);
    expect(target('grafana', './deploy/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const dashboards = target('grafana', './deploy/grafana/dashboards') ?? '';
    const provider = tree(list(tree(loadYaml('deploy/grafana/provisioning/dashboards/dashboards.yaml'), 'dashboards.yaml')['providers'], 'providers')[0], 'providers[0]');
    expect(tree(provider['options'], 'options')['path']).toBe(dashboards);
    const home = svc('grafana').environment['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'] ?? '';
    expect(path.dirname(home)).toBe(dashboards);
    expect(readdirSync(repoPath('deploy/grafana/dashboards'))).toContain(path.basename(home));
  });

  it('wires the demo to the simulator and the Collector, and gives the Collector a memory limit', () => {
    const demo = svc('demo').environment;
    const otlp = hostPort(demo['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '');
    expect(otlp.host).toBe('collector');
    // The SDK default protocol is http/protobuf on 4318: the Collector's OTLP/HTTP receiver.
    expect(demo['OTEL_EXPORTER_OTLP_PROTOCOL']).toBeUndefined();
    expect(otlp.port).toBe(listens('collector')[1]);
    const openai = hostPort(demo['OPENAI_BASE_URL'] ?? '');
    expect(openai).toEqual({ host: 'simulator', port: Number(svc('simulator').environment['PORT']) });
    expect(svc('simulator').environment['HOST']).toBe('0.0.0.0');
    // Data on the dashboard within a minute: the SDK's default export interval is 60 s.
    expect(Number(demo['OTEL_METRIC_EXPORT_INTERVAL'])).toBeLessThanOrEqual(10_000);
    expect(demo['OTEL_SERVICE_NAME']).toBeTruthy();
    expect(svc('demo').command).toEqual(['node', 'demo/main.ts', '--loop']);
    // Several replicas share one quota (one key), as alerting must show.
    expect(svc('demo').replicas).toBeGreaterThanOrEqual(2);
    expect(svc('collector').environment['GOMEMLIMIT']).toMatch(/^\d+MiB$/);
    expect(readRepoFile('docker-compose.yml')).toMatch(/^\s+mem_limit: \d+m$/m);
  });

  it('points every cross-service address at a service and a port it listens on', () => {
    const addresses: Array<{ from: string; address: string }> = [];
    const jaegerExporter = Object.entries(collector.exporters).find(([id]) => id.startsWith('otlp_grpc'));
    addresses.push({ from: 'collector traces exporter', address: text(tree(jaegerExporter?.[1], 'otlp_grpc')['endpoint'], 'endpoint') });
    for (const job of list(prometheusYml['scrape_configs'], 'scrape_configs')) {
      for (const sc of list(tree(job, 'job')['static_configs'], 'static_configs')) {
        for (const t of list(tree(sc, 'static_config')['targets'], 'targets')) addresses.push({ from: 'prometheus scrape', address: text(t, 'target') });
      }
    }
    for (const am of list(tree(prometheusYml['alerting'], 'alerting')['alertmanagers'], 'alertmanagers')) {
      for (const sc of list(tree(am, 'alertmanager')['static_configs'], 'static_configs')) {
        for (const t of list(tree(sc, 'static_config')['targets'], 'targets')) addresses.push({ from: 'prometheus alerting', address: text(t, 'target') });
      }
    }
    for (const receiver of list(alertmanagerYml['receivers'], 'receivers')) {
      for (const webhook of list(tree(receiver, 'receiver')['webhook_configs'], 'webhook_configs')) {
        addresses.push({ from: 'alertmanager webhook', address: text(tree(webhook, 'webhook')['url'], 'url') });
      }
    }
    const datasources = list(tree(loadYaml('deploy/grafana/provisioning/datasources/datasources.yaml'), 'datasources.yaml')['datasources'], 'datasources');
    for (const ds of datasources) addresses.push({ from: 'grafana datasource', address: text(tree(ds, 'datasource')['url'], 'url') });
    expect(addresses.length).toBeGreaterThanOrEqual(6);
    for (const { from, address } of addresses) {
      const { host, port } = hostPort(address);
      if (host === 'localhost') continue; // Prometheus scraping itself
      expect(services.has(host), `${from}: ${address}`).toBe(true);
      expect(listens(host), `${from}: ${address}`).toContain(port);
    }
  });
});

describe('deploy/demo/Dockerfile (the simulator and demo image)', () => {
  const dockerfile = readRepoFile('deploy/demo/Dockerfile');
  const ignored = readRepoFile('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('installs with npm ci from the lockfile, then builds, so a fresh clone needs nothing else', () => {
    const ci = dockerfile.indexOf('RUN npm ci');
    expect(dockerfile.indexOf('COPY package.json package-lock.json')).toBeGreaterThan(-1);
    expect(ci).toBeGreaterThan(dockerfile.indexOf('COPY package.json package-lock.json'));
    expect(dockerfile.indexOf('RUN npm run build')).toBeGreaterThan(ci);
    for (const s of ['simulator', 'demo']) expect(svc(s).build?.dockerfile).toBe('deploy/demo/Dockerfile');
  });

  it('copies what the demo and simulator import, and .dockerignore keeps none of it out', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));
    for (const p of copied) {
      expect(readdirSync(repoPath(path.dirname(p) || '.')), p).toContain(path.basename(p));
      expect(ignored.some((i) => p === i || p.startsWith(`${i}/`)), `${p} is in .dockerignore`).toBe(false);
    }
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist']));
    // Relative imports of the two entry points' trees stay inside the copied directories.
    const dirs = ['demo', 'simulator'];
    const allowed = new Set(copied.filter((p) => !p.includes('.')));
    for (const dir of dirs) {
      for (const file of readdirSync(repoPath(dir), { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
        const source = readFileSync(repoPath(path.join(dir, file)), 'utf8');
        for (const [, spec = ''] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
          const resolved = path.relative(repoPath('.'), path.resolve(repoPath(path.join(dir, path.dirname(file))), spec));
          expect(allowed.has(resolved.split(path.sep)[0] ?? ''), `${dir}/${file} imports ${spec}`).toBe(true);
        }
      }
    }
  });
});
