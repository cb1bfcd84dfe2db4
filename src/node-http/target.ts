/** The slice of a `http.ClientRequest` we read. Everything is optional: it is someone else's object. */
export interface ClientRequestLike {
  readonly protocol?: unknown;
  readonly host?: unknown;
  readonly path?: unknown;
  readonly method?: unknown;
  readonly headersSent?: unknown;
  getHeader?(name: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/** `origin` in `URL.origin` form (what undici hands us too) and the request target. */
export interface RequestTarget {
  readonly origin: string;
  readonly path: string;
}

/**
 * Where a `ClientRequest` goes. Node keeps the host and protocol on the request but not the
 * port; the `Host` header it sets itself carries the port unless it is the default one. A
 * request through a forward proxy has an absolute URL as its path: that URL is the target.
 * Cheap on purpose: it runs for every node:http request in the process, matched or not.
 */
export function requestTarget(request: ClientRequestLike): RequestTarget | undefined {
  const path = request.path;
  if (typeof path !== 'string') return undefined;
  if (path.startsWith('http://') || path.startsWith('https://')) return absoluteTarget(path);
  const protocol = request.protocol;
  const rawHost = request.host;
  if ((protocol !== 'http:' && protocol !== 'https:') || typeof rawHost !== 'string' || rawHost === '') return undefined;
  const host = rawHost.toLowerCase();
  const hostForUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const port = portFromHostHeader(hostHeader(request), hostForUrl);
  const defaultPort = protocol === 'https:' ? '443' : '80';
  const origin = `${protocol}//${hostForUrl}${port === undefined || port === defaultPort ? '' : `:${port}`}`;
  return { origin, path: path === '' ? '/' : path };
}

function hostHeader(request: ClientRequestLike): string | undefined {
  if (typeof request.getHeader !== 'function') return undefined;
  const value = request.getHeader('host');
  return typeof value === 'string' ? value : undefined;
}

/** The port of a `Host` header naming the same host (`127.0.0.1:8080`, `[::1]:8080`), else undefined. */
function portFromHostHeader(header: string | undefined, hostForUrl: string): string | undefined {
  if (header === undefined) return undefined;
  const colon = header.lastIndexOf(':');
  if (colon === -1 || colon < header.lastIndexOf(']')) return undefined;
  if (header.slice(0, colon).toLowerCase() !== hostForUrl) return undefined;
  const port = header.slice(colon + 1);
  return /^\d{1,5}$/.test(port) ? String(Number(port)) : undefined;
}

function absoluteTarget(path: string): RequestTarget | undefined {
  try {
    const url = new URL(path);
    return { origin: url.origin, path: url.pathname + url.search };
  } catch {
    return undefined;
  }
}
