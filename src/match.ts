import type { MatchedTarget } from './internal-types.ts';
import type { EndpointConfig } from './types.ts';
import {
  OPERATION_CHAT,
  OPERATION_EMBEDDINGS,
  OPERATION_GENERATE_CONTENT,
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
  private readonly hosts = new Map<string, string>();
  private readonly baseUrls = new Map<string, Array<{ prefix: string; provider: string }>>();
  private readonly memo = new Map<string, OriginRule | null>();

  constructor(endpoints: readonly EndpointConfig[], envBaseUrl: string | undefined) {
    for (const [host, provider] of Object.entries(BUILT_IN_HOSTS)) this.hosts.set(host, provider);
    if (envBaseUrl) this.add(envBaseUrl, PROVIDER_OPENAI);
    for (const entry of endpoints) {
      if (typeof entry === 'string') this.add(entry, PROVIDER_OPENAI);
      else if (entry && typeof entry.url === 'string') {
        this.add(entry.url, typeof entry.provider === 'string' && entry.provider ? entry.provider : PROVIDER_OPENAI);
      }
    }
    for (const list of this.baseUrls.values()) list.sort((a, b) => b.prefix.length - a.prefix.length);
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

  private add(entry: string, provider: string): void {
    const trimmed = entry.trim();
    if (!trimmed) return;
    if (!trimmed.includes('://')) {
      this.hosts.set(trimmed.toLowerCase().replace(/\/.*$/, ''), provider);
      return;
    }
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return;
    }
    const prefix = url.pathname.replace(/\/+$/, '');
    const list = this.baseUrls.get(url.origin) ?? [];
    list.push({ prefix, provider });
    this.baseUrls.set(url.origin, list);
  }

  private ruleFor(origin: string): OriginRule | null {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return null;
    }
    const serverAddress = url.hostname.replace(/^\[|\]$/g, '');
    const serverPort = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const prefixes: Array<{ prefix: string; provider: string }> = [...(this.baseUrls.get(url.origin) ?? [])];
    const host = url.hostname.toLowerCase();
    const hostProvider =
      this.hosts.get(host) ?? (host.endsWith(AZURE_SUFFIX) ? PROVIDER_AZURE_OPENAI : undefined);
    if (hostProvider !== undefined) prefixes.push({ prefix: '', provider: hostProvider });
    return prefixes.length === 0 ? null : { prefixes, serverAddress, serverPort, targets: new Map() };
  }
}

function targetFor(rule: OriginRule, origin: string, path: string): MatchedTarget | null {
  const pathname = stripQuery(path);
  for (const { prefix, provider } of rule.prefixes) {
    if (prefix === '' || pathname === prefix || pathname.startsWith(prefix + '/')) {
      return {
        provider,
        operation: operationFromPath(pathname.slice(prefix.length)),
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
  if (path.endsWith('/responses')) return OPERATION_GENERATE_CONTENT;
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
