import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** An OTLP/JSON attribute value, as the OTLP/HTTP JSON encoding spells it. */
export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpAnyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
}
export interface ReceivedSpan {
  readonly span: OtlpSpan;
  readonly scope: string;
  readonly resource: Record<string, unknown>;
  /** Attributes decoded to plain JS values (intValue -> number). */
  readonly attributes: Record<string, unknown>;
}
export interface ReceivedMetric {
  readonly name: string;
  readonly unit: string | undefined;
  readonly scope: string;
  readonly raw: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** Base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  /** Every request body received, by path. */
  readonly requests: Array<{ path: string; contentType: string; body: Buffer }>;
  spans(): ReceivedSpan[];
  metrics(): ReceivedMetric[];
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function decodeAnyValue(v: OtlpAnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(decodeAnyValue);
  return undefined;
}

function decodeAttributes(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = decodeAnyValue(kv.value);
  return out;
}

/**
 * A local OTLP/HTTP receiver (the part of a Collector the exporters talk to), on 127.0.0.1:0.
 * It decodes the JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`); protobuf bodies are
 * kept raw in `requests`. `status` lets a test make it fail or stall, to check the app is
 * unaffected when the backend misbehaves.
 */
export async function startOtlpReceiver(options: { status?: number; delayMs?: number } = {}): Promise<OtlpReceiver> {
  const requests: OtlpReceiver['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body });
      const respond = (): void => {
        res.statusCode = options.status ?? 200;
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      };
      if (options.delayMs) setTimeout(respond, options.delayMs);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const jsonBodies = (path: string): Array<Record<string, unknown>> =>
    requests
      .filter((r) => r.path === path && r.contentType.includes('json'))
      .map((r) => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>);

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans() {
      const out: ReceivedSpan[] = [];
      for (const body of jsonBodies('/v1/traces')) {
        for (const rs of (body['resourceSpans'] as Array<Record<string, unknown>>) ?? []) {
          const resource = decodeAttributes((rs['resource'] as { attributes?: OtlpKeyValue[] } | undefined)?.attributes);
          for (const ss of (rs['scopeSpans'] as Array<Record<string, unknown>>) ?? []) {
            const scope = String((ss['scope'] as { name?: string } | undefined)?.name ?? '');
            for (const span of (ss['spans'] as OtlpSpan[]) ?? []) {
              out.push({ span, scope, resource, attributes: decodeAttributes(span.attributes) });
            }
          }
        }
      }
      return out;
    },
    metrics() {
      const out: ReceivedMetric[] = [];
      for (const body of jsonBodies('/v1/metrics')) {
        for (const rm of (body['resourceMetrics'] as Array<Record<string, unknown>>) ?? []) {
          for (const sm of (rm['scopeMetrics'] as Array<Record<string, unknown>>) ?? []) {
            const scope = String((sm['scope'] as { name?: string } | undefined)?.name ?? '');
            for (const metric of (sm['metrics'] as Array<Record<string, unknown>>) ?? []) {
              out.push({ name: String(metric['name']), unit: metric['unit'] as string | undefined, scope, raw: metric });
            }
          }
        }
      }
      return out;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('timed out waiting for OTLP data');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
