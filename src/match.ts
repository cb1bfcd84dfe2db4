import type { MatchedTarget } from './internal-types.ts';
import type { EndpointConfig } from './types.ts';
import {
  API_TYPE_CHAT_COMPLETIONS,
  API_TYPE_COMPLETIONS,
  API_TYPE_EMBEDDINGS,
  API_TYPE_RESPONSES,
  OPERATION_CHAT,
  OPERATION_EMBEDDINGS,
  OPERATION_TEXT_COMPLETION,
  PROVIDER_AZURE_OPENAI,
  PROVIDER_OPENAI,
} from './semconv.ts';

/** A rule for one origin: the path prefixes it covers (empty prefix: the whole host). */
interface OriginRule {
  readonly prefixes: ReadonlyArray<{ readonly prefix: string; readonly provider: string }>;
  readonly serverAddress: string;
  readonly serverPort: number;
  /**
   * Request path -> its target (null: not covered), memoised: an app calls a handful of paths,
   * so each request reuses one immutable target instead of re-deriving the operation and the
   * redacted URL (a slice, a concat and an object per request).
   */
  readonly targets: Map<string, MatchedTarget | null>;
}

const AZURE_SUFFIX = '.openai.azure.com';
const BUILT_IN_HOSTS: Record<string, string> = { 'api.openai.com': PROVIDER_OPENAI };
/** Past this many distinct origins the memo starts over, so an app calling many hosts stays bounded. */
const MEMO_LIMIT = 512;
/** The same for the paths memoised per origin (ids in paths, such as `/v1/files/{id}`, vary). */
const PATH_MEMO_LIMIT = 256;

/**
 * Decides, per request, whether it goes to an OpenAI-compatible API, and which operation.
 * The first check is one Map lookup on the origin string, memoised, so requests to other
 * hosts cost nothing more.
 */
export class EndpointMatcher {
  /** Bare host name -> provider: any scheme and port. */
  private readonly hosts = new Map<string, string>();
  /** `host:port` -> provider: that port only, any scheme. */
  private readonly hostPorts = new Map<string, string>();
  private readonly baseUrls = new Map<string, Array<{ prefix: string; provider: string }>>();
  private readonly memo = new Map<string, OriginRule | null>();

  /**
   * `warn` hears, once, about the entries that cannot be used (not a base URL, a host or a
   * `host:port`): a typo in the config would otherwise only show as missing spans.
   */
  constructor(endpoints: readonly EndpointConfig[], envBaseUrl: string | undefined, warn: (message: string) => void = () => {}) {
    for (const [host, provider] of Object.entries(BUILT_IN_HOSTS)) this.hosts.set(host, provider);
    const unusable: string[] = [];
    if (envBaseUrl && !this.add(envBaseUrl, PROVIDER_OPENAI)) unusable.push(`OPENAI_BASE_URL=${JSON.stringify(envBaseUrl)}`);
    for (const entry of endpoints) {
      const url = typeof entry === 'string' ? entry : entry?.url;
      const provider = typeof entry === 'object' && entry !== null && typeof entry.provider === 'string' && entry.provider ? entry.provider : PROVIDER_OPENAI;
      if (typeof url !== 'string' || !this.add(url, provider)) unusable.push(JSON.stringify(url ?? entry) ?? String(entry));
    }
    for (const list of this.baseUrls.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
    if (unusable.length > 0) {
      warn(`endpoints: ignoring ${unusable.join(', ')}: not an http(s) base URL, a host name or a host:port`);
    }
  }

  /** The target of a request, or undefined when it is not for an OpenAI-compatible API. */
  match(origin: unknown, path: unknown): MatchedTarget | undefined {
    const key = typeof origin === 'string' ? origin : origin instanceof URL ? origin.origin : undefined;
    if (key === undefined || typeof path !== 'string') return undefined;
    let rule = this.memo.get(key);
    if (rule === undefined) {
      rule = this.ruleFor(key);
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(key, rule);
    }
    if (rule === null) return undefined;
    let target = rule.targets.get(path);
    if (target === undefined) {
      target = targetFor(rule, key, path);
      if (rule.targets.size >= PATH_MEMO_LIMIT) rule.targets.clear();
      rule.targets.set(path, target);
    }
    return target ?? undefined;
  }

  /** Adds one entry; false when it cannot be used. */
  private add(entry: string, provider: string): boolean {
    const trimmed = entry.trim();
    if (!trimmed.includes('://')) return this.addHost(trimmed.replace(/\/.*$/, ''), provider);
    const url = parseUrl(trimmed);
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
    const prefix = url.pathname.replace(/\/+$/, '');
    const list = this.baseUrls.get(url.origin) ?? [];
    list.push({ prefix, provider });
    this.baseUrls.set(url.origin, list);
    return true;
  }

  /** `api.together.xyz`, `localhost:11434`, `[::1]:8000`. */
  private addHost(entry: string, provider: string): boolean {
    const parts = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(entry);
    if (parts === null) return false;
    const hostname = parseUrl(`http://${parts[1]}`)?.hostname;
    const port = parts[2] === undefined ? undefined : Number(parts[2]);
    if (hostname === undefined || hostname === '' || (port !== undefined && (port < 1 || port > 65535))) return false;
    if (port === undefined) this.hosts.set(hostname, provider);
    else this.hostPorts.set(`${hostname}:${port}`, provider);
    return true;
  }

  private ruleFor(origin: string): OriginRule | null {
    const url = parseUrl(origin);
    if (url === undefined) return null;
    const serverAddress = url.hostname.replace(/^\[|\]$/g, '');
    const serverPort = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const prefixes: Array<{ prefix: string; provider: string }> = [...(this.baseUrls.get(url.origin) ?? [])];
    const host = url.hostname.toLowerCase();
    const hostProvider =
      this.hosts.get(host) ??
      this.hostPorts.get(`${host}:${serverPort}`) ??
      (host.endsWith(AZURE_SUFFIX) ? PROVIDER_AZURE_OPENAI : undefined);
    if (hostProvider !== undefined) prefixes.push({ prefix: '', provider: hostProvider });
    return prefixes.length === 0 ? null : { prefixes, serverAddress, serverPort, targets: new Map() };
  }
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function targetFor(rule: OriginRule, origin: string, path: string): MatchedTarget | null {
  const pathname = stripQuery(path);
  for (const { prefix, provider } of rule.prefixes) {
    if (prefix === '' || pathname === prefix || pathname.startsWith(prefix + '/')) {
      const below = pathname.slice(prefix.length);
      return {
        provider,
        operation: operationFromPath(below),
        apiType: apiTypeFromPath(below),
        serverAddress: rule.serverAddress,
        serverPort: rule.serverPort,
        url: origin + redactQuery(path),
      };
    }
  }
  return null;
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/**
 * `gen_ai.operation.name` from the path below the base URL. The suffix decides, so
 * `/v1/chat/completions`, Azure's `/openai/deployments/x/chat/completions` and
 * Groq's `/openai/v1/chat/completions` all read as `chat`.
 */
export function operationFromPath(pathname: string): string {
  const path = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path.endsWith('/chat/completions')) return OPERATION_CHAT;
  if (path.endsWith('/completions')) return OPERATION_TEXT_COMPLETION;
  if (path.endsWith('/embeddings')) return OPERATION_EMBEDDINGS;
  // The Responses API is a chat API (semconv's OpenAI page; `openai.api.type` tells them apart).
  if (path.endsWith('/responses')) return OPERATION_CHAT;
  // Other endpoints: a stable, low-cardinality name from the first one or two path words
  // below any version / deployment prefix, ids dropped: `/v1/models/gpt-4o` -> `models`,
  // `/v1/images/generations` -> `images.generations`.
  const words = path
    .replace(/^\/?(openai\/)?(deployments\/[^/]+\/)?(v\d+[a-z0-9]*\/)?/i, '')
    .split('/')
    .filter((w) => /^[a-z_]+$/.test(w));
  const name = words.slice(0, 2).join('.');
  return name === '' ? 'unknown' : name;
}

/**
 * `openai.api.type` from the same path suffix: the OpenAI API whose response shape the body
 * reader knows, or undefined for any other endpoint (models, files, images...).
 */
export function apiTypeFromPath(pathname: string): string | undefined {
  const path = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (path.endsWith('/chat/completions')) return API_TYPE_CHAT_COMPLETIONS;
  if (path.endsWith('/completions')) return API_TYPE_COMPLETIONS;
  if (path.endsWith('/embeddings')) return API_TYPE_EMBEDDINGS;
  if (path.endsWith('/responses')) return API_TYPE_RESPONSES;
  return undefined;
}

const SENSITIVE_QUERY_KEYS = new Set([
  'api-key',
  'api_key',
  'apikey',
  'key',
  'token',
  'access_token',
  'sig',
  'signature',
  'Signature',
  'AWSAccessKeyId',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'X-Goog-Signature',
]);

/**
 * `url.full` must not carry secrets: values of the query keys semconv names, plus the ones
 * OpenAI-compatible servers use for keys, become `REDACTED` (keys stay, as semconv asks).
 */
export function redactQuery(path: string): string {
  const q = path.indexOf('?');
  if (q === -1) return path;
  const hash = path.indexOf('#', q);
  const query = path.slice(q + 1, hash === -1 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && SENSITIVE_QUERY_KEYS.has(decodeKey(key)) ? `${key}=REDACTED` : pair;
    })
    .join('&');
  return path.slice(0, q + 1) + redacted;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
