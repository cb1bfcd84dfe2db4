import { decodeAnyValue, type OtlpKeyValue, type OtlpSpan } from './otlp-receiver.ts';

/** A span as Jaeger's query API (v3, OTLP JSON) returns it, attributes decoded. */
export interface JaegerSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP SpanKind: 3 = CLIENT. */
  readonly kind: number;
  readonly statusCode: number;
  readonly scope: string;
  readonly resource: Record<string, unknown>;
  readonly attributes: Record<string, unknown>;
}

interface OtlpTracesJson {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: OtlpSpan[] }>;
  }>;
}

const decode = (attributes: OtlpKeyValue[] | undefined): Record<string, unknown> =>
  Object.fromEntries((attributes ?? []).map((kv) => [kv.key, decodeAnyValue(kv.value)]));

/**
 * One trace from Jaeger v2's query API, `GET /api/v3/traces/{traceId}`; [] while Jaeger doesn't
 * have it (404). https://www.jaegertracing.io/docs/latest/architecture/apis/#http-json
 */
export async function jaegerTrace(queryUrl: string, traceId: string): Promise<JaegerSpan[]> {
  const res = await fetch(`${queryUrl}/api/v3/traces/${traceId}`, { signal: AbortSignal.timeout(5_000) });
  if (res.status === 404) {
    await res.arrayBuffer();
    return [];
  }
  const body = (await res.json()) as { result?: OtlpTracesJson; error?: unknown };
  if (!res.ok || body.result === undefined) throw new Error(`jaeger /api/v3/traces/${traceId}: ${res.status} ${JSON.stringify(body.error ?? body)}`);
  return (body.result.resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: Number(span.kind),
        statusCode: span.status?.code ?? 0,
        scope: ss.scope?.name ?? '',
        resource: decode(rs.resource?.attributes),
        attributes: decode(span.attributes),
      })),
    ),
  );
}

/** Service names Jaeger has seen (`GET /api/v3/services`). */
export async function jaegerServices(queryUrl: string): Promise<string[]> {
  const res = await fetch(`${queryUrl}/api/v3/services`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { services?: string[] };
  if (!res.ok) throw new Error(`jaeger /api/v3/services: ${res.status} ${JSON.stringify(body)}`);
  return body.services ?? [];
}
