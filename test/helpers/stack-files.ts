import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isTree, list, text, texts, tree, type Tree } from './tree.ts';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function repoPath(relative: string): string {
  return path.join(ROOT, relative);
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

/** YAML as Docker Compose reads it: `<<:` merge keys resolved. */
export function loadYaml(relative: string): unknown {
  return parse(readRepoFile(relative), { merge: true });
}

export function loadJson(relative: string): unknown {
  return JSON.parse(readRepoFile(relative));
}

export interface ComposeService {
  readonly name: string;
  readonly image: string | undefined;
  readonly build: { context: string | undefined; dockerfile: string | undefined; inline: string | undefined } | undefined;
  readonly command: string[];
  readonly environment: Record<string, string>;
  /** `HOST:CONTAINER` as written. */
  readonly ports: string[];
  /** `SOURCE:TARGET[:ro]` as written. */
  readonly volumes: string[];
  readonly healthcheck: string[] | undefined;
  readonly dependsOn: Record<string, string>;
  readonly replicas: number;
}

/** docker-compose.yml, its services read into one typed shape (the short syntax it uses). */
export function loadCompose(): Map<string, ComposeService> {
  const services = tree(tree(loadYaml('docker-compose.yml'), 'docker-compose.yml')['services'], 'services');
  const out = new Map<string, ComposeService>();
  for (const [name, raw] of Object.entries(services)) {
    const where = `services.${name}`;
    const s = tree(raw, where);
    const build = s['build'] === undefined ? undefined : tree(s['build'], `${where}.build`);
    const env = s['environment'] === undefined ? {} : tree(s['environment'], `${where}.environment`);
    const depends = s['depends_on'] === undefined ? {} : tree(s['depends_on'], `${where}.depends_on`);
    const health = s['healthcheck'] === undefined ? undefined : tree(s['healthcheck'], `${where}.healthcheck`);
    const deploy = isTree(s['deploy']) ? s['deploy'] : {};
    out.set(name, {
      name,
      image: s['image'] === undefined ? undefined : text(s['image'], `${where}.image`),
      build: build && {
        context: optionalText(build['context'], `${where}.build.context`),
        dockerfile: optionalText(build['dockerfile'], `${where}.build.dockerfile`),
        inline: optionalText(build['dockerfile_inline'], `${where}.build.dockerfile_inline`),
      },
      command: s['command'] === undefined ? [] : texts(s['command'], `${where}.command`),
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(text(v, `${where}.environment.${k}`))])),
      ports: s['ports'] === undefined ? [] : texts(s['ports'], `${where}.ports`),
      volumes: s['volumes'] === undefined ? [] : texts(s['volumes'], `${where}.volumes`),
      healthcheck: health && texts(health['test'], `${where}.healthcheck.test`),
      dependsOn: Object.fromEntries(Object.entries(depends).map(([k, v]) => [k, text(tree(v, `${where}.depends_on.${k}`)['condition'], `${where}.depends_on.${k}.condition`)])),
      replicas: typeof deploy['replicas'] === 'number' ? deploy['replicas'] : 1,
    });
  }
  return out;
}

export function service(services: Map<string, ComposeService>, name: string): ComposeService {
  const found = services.get(name);
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The host side of a bind mount, resolved against the repository (compose resolves `./`). */
export function bindSource(volume: string): { source: string; target: string; exists: boolean } {
  const [source = '', target = ''] = volume.split(':');
  const resolved = repoPath(source);
  return { source, target, exists: existsSync(resolved) };
}

/** `FROM` lines of a Dockerfile's text. */
export function fromImages(dockerfile: string): string[] {
  return [...dockerfile.matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1] ?? '');
}

/** One pipeline of collector-config.yaml. */
export interface Pipeline {
  readonly name: string;
  readonly receivers: string[];
  readonly processors: string[];
  readonly exporters: string[];
}

export interface CollectorConfig {
  readonly raw: Tree;
  readonly receivers: Tree;
  readonly processors: Tree;
  readonly exporters: Tree;
  readonly extensions: Tree;
  readonly serviceExtensions: string[];
  readonly pipelines: Pipeline[];
}

/**
 * collector-config.yaml as the Collector reads it in compose, where none of the variables its
 * addresses name are set: `${env:NAME:-default}` becomes `default`, typed as YAML (a port stays
 * a number), as the Collector's env provider does.
 */
export function loadCollectorConfig(): CollectorConfig {
  const expanded = readRepoFile('collector-config.yaml').replace(/\$\{env:[A-Z0-9_]+:-([^}]*)\}/g, '$1');
  const raw = tree(parse(expanded), 'collector-config.yaml');
  const svc = tree(raw['service'], 'service');
  const pipelines = Object.entries(tree(svc['pipelines'], 'service.pipelines')).map(([name, p]) => {
    const pipeline = tree(p, `service.pipelines.${name}`);
    return {
      name,
      receivers: texts(pipeline['receivers'], `${name}.receivers`),
      processors: pipeline['processors'] === undefined ? [] : texts(pipeline['processors'], `${name}.processors`),
      exporters: texts(pipeline['exporters'], `${name}.exporters`),
    };
  });
  return {
    raw,
    receivers: tree(raw['receivers'], 'receivers'),
    processors: tree(raw['processors'], 'processors'),
    exporters: tree(raw['exporters'], 'exporters'),
    extensions: raw['extensions'] === undefined ? {} : tree(raw['extensions'], 'extensions'),
    serviceExtensions: svc['extensions'] === undefined ? [] : texts(svc['extensions'], 'service.extensions'),
    pipelines,
  };
}

/** `host:port` -> port (the part after the last colon). */
export function portOf(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

/**
 * Compose's variable interpolation: `${NAME:-default}` is the default when NAME is unset or
 * empty, `${NAME-default}` only when unset, `${NAME}` is NAME or empty.
 */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return value.replace(/\$\{(\w+)(?:(:?)-([^}]*))?\}/g, (_all, name: string, colon: string | undefined, fallback: string | undefined) => {
    const set = env[name];
    if (fallback === undefined) return set ?? '';
    return set === undefined || (colon === ':' && set === '') ? fallback : set;
  });
}

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : text(value, where);
}

export { list, text, texts, tree };
