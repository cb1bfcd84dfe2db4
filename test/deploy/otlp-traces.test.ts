import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as semconv from '../../src/semconv.ts';
import { startDemoStack, type DemoStack } from '../helpers/demo-stack.ts';
import { decodeTraceRequest, type DecodedSpan } from '../helpers/otlp-protobuf.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';
import { loadCompose, service } from '../helpers/stack-files.ts';

/**
 * The trace half of the stack: the compose `demo` service (both replicas, its environment)
 * against the compose `simulator`, exporting over OTLP/HTTP to a local receiver standing where
 * the Collector's :4318 is. Replica 0 sends JSON, replica 1 the SDK default, protobuf, which
 * is what the Collector gets in compose. Both must decode to spans with the documented attributes:
 * what Jaeger will show, and what an on-call engineer searches by (openai.request.id).
 */
const PACKAGE = 'opentelemetry-instrumentation-openai-http';
const SPAN_KIND_CLIENT_JSON = 3; // OTLP SpanKind: 3 = CLIENT in both encodings
const STATUS_ERROR = 2;

interface SpanView {
  readonly encoding: 'json' | 'protobuf';
  readonly name: string;
  readonly kind: number;
  readonly scope: string;
  readonly statusCode: number;
  readonly resource: Record<string, unknown>;
  readonly attributes: Record<string, unknown>;
}

describe('traces from the compose demo, over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let stack: DemoStack;
  const demoEnv = service(loadCompose(), 'demo').environment;

  const spans = (): SpanView[] => [
    ...receiver.spans().map((s) => ({
      encoding: 'json' as const,
      name: s.span.name,
      kind: s.span.kind,
      scope: s.scope,
      statusCode: s.span.status?.code ?? 0,
      resource: s.resource,
      attributes: s.attributes,
    })),
    ...receiver.requests
      .filter((r) => r.path === '/v1/traces' && r.contentType.includes('protobuf'))
      .flatMap((r) => decodeTraceRequest(r.body).map((s: DecodedSpan) => ({ encoding: 'protobuf' as const, ...s }))),
  ];
  const has = (encoding: SpanView['encoding'], status: number): boolean =>
    spans().some((s) => s.encoding === encoding && s.attributes[semconv.ATTR_HTTP_RESPONSE_STATUS_CODE] === status);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startDemoStack({
      replicas: service(loadCompose(), 'demo').replicas,
      otlpEndpoint: receiver.url,
      otlpProtocol: (replica) => (replica === 0 ? 'http/json' : undefined),
      prometheusMetrics: false,
    });
    // Both encodings with successes, and a 429 from the replicas' bursts meeting in the shared quota.
    await receiver
      .waitFor(() => has('json', 200) && has('protobuf', 200) && spans().some((s) => s.attributes[semconv.ATTR_ERROR_TYPE] === '429'), 40_000)
      .catch((error: unknown) => {
        throw new Error(`${String(error)} (${spans().length} spans)\n${stack.logs()}`);
      });
    // Everything below reads what was received; stopping now spares the other test files the load.
    await stack.stop();
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it('decode, in both encodings, to CLIENT spans of this package from the compose service', () => {
    const all = spans();
    expect(new Set(all.map((s) => s.encoding))).toEqual(new Set(['json', 'protobuf']));
    for (const s of all) {
      expect(s.kind).toBe(SPAN_KIND_CLIENT_JSON);
      expect(s.scope).toBe(PACKAGE);
      expect(s.resource['service.name']).toBe(demoEnv['OTEL_SERVICE_NAME']);
      expect(`deployment.environment.name=${String(s.resource['deployment.environment.name'])}`).toBe(demoEnv['OTEL_RESOURCE_ATTRIBUTES']);
      expect(typeof s.resource['service.instance.id']).toBe('string');
    }
    // Each replica is its own instance: the Collector turns this into the `instance` label.
    expect(new Set(all.map((s) => s.resource['service.instance.id'])).size).toBe(2);
  });

  it("carry the documented attributes on successful calls, named after operation and model", () => {
    const ok = spans().filter((s) => s.attributes[semconv.ATTR_HTTP_RESPONSE_STATUS_CODE] === 200);
    const operations = new Set(ok.map((s) => s.attributes[semconv.ATTR_GEN_AI_OPERATION_NAME]));
    expect(operations).toEqual(new Set([semconv.OPERATION_CHAT, semconv.OPERATION_EMBEDDINGS]));
    for (const s of ok) {
      const a = s.attributes;
      const operation = String(a[semconv.ATTR_GEN_AI_OPERATION_NAME]);
      expect(a).toMatchObject({
        [semconv.ATTR_GEN_AI_PROVIDER_NAME]: semconv.PROVIDER_OPENAI,
        [semconv.ATTR_SERVER_ADDRESS]: '127.0.0.1',
        [semconv.ATTR_HTTP_REQUEST_METHOD]: 'POST',
        [semconv.ATTR_OPENAI_ORGANIZATION]: 'org-simulator',
        [semconv.ATTR_OPENAI_PROJECT]: 'proj_simulator',
        [semconv.ATTR_OPENAI_VERSION]: '2020-10-01',
      });
      expect(a[semconv.ATTR_SERVER_PORT]).toBe(Number(new URL(stack.simulatorUrl).port));
      expect(a[semconv.ATTR_URL_FULL]).toBe(`${stack.simulatorUrl}/${operation === 'chat' ? 'chat/completions' : 'embeddings'}`);
      expect(a[semconv.ATTR_OPENAI_REQUEST_ID]).toMatch(/^req_[0-9a-f]+$/);
      expect(Number.isInteger(a[semconv.ATTR_OPENAI_PROCESSING_MS])).toBe(true);
      for (const name of [
        semconv.ATTR_OPENAI_RATELIMIT_REQUESTS_LIMIT,
        semconv.ATTR_OPENAI_RATELIMIT_REQUESTS_REMAINING,
        semconv.ATTR_OPENAI_RATELIMIT_TOKENS_LIMIT,
        semconv.ATTR_OPENAI_RATELIMIT_TOKENS_REMAINING,
      ]) {
        expect(Number.isInteger(a[name]), name).toBe(true);
      }
      for (const name of [semconv.ATTR_OPENAI_RATELIMIT_REQUESTS_RESET, semconv.ATTR_OPENAI_RATELIMIT_TOKENS_RESET]) {
        expect(typeof a[name], name).toBe('number');
      }
      // A client that cancels a stream after its [DONE] completed the call; telling so needs the
      // body, so where the runtime hides it such a stream ends as an abort (a documented limit).
      if (bundledUndiciHasBodyChunks() || a[semconv.ATTR_ERROR_TYPE] !== 'AbortError') {
        expect(a[semconv.ATTR_ERROR_TYPE]).toBeUndefined();
        expect(s.statusCode).not.toBe(STATUS_ERROR);
      }
      // The model is in the body; readable from a fetch body only where undici publishes it.
      const model = a[semconv.ATTR_GEN_AI_REQUEST_MODEL];
      if (bundledUndiciHasBodyChunks()) expect(s.name).toBe(`${operation} ${String(model)}`);
      else expect(s.name).toBe(operation);
    }
  });

  it('mark 429s as errors with error.type, the retry delay and the request id to search by', () => {
    const limited = spans().filter((s) => s.attributes[semconv.ATTR_ERROR_TYPE] === '429');
    expect(limited.length).toBeGreaterThan(0);
    for (const s of limited) {
      expect(s.statusCode).toBe(STATUS_ERROR);
      expect(s.attributes[semconv.ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(429);
      // A quota that ran dry (insufficient_quota) gives no retry delay: no wait fixes it.
      if (s.attributes[semconv.ATTR_OPENAI_ERROR_CODE] === 'insufficient_quota') expect(s.attributes[semconv.ATTR_OPENAI_RETRY_AFTER]).toBeUndefined();
      else if (s.attributes[semconv.ATTR_OPENAI_ERROR_CODE] !== undefined) expect(typeof s.attributes[semconv.ATTR_OPENAI_RETRY_AFTER]).toBe('number');
      expect(s.attributes[semconv.ATTR_OPENAI_REQUEST_ID]).toMatch(/^req_/);
    }
    expect(limited.some((s) => typeof s.attributes[semconv.ATTR_OPENAI_RETRY_AFTER] === 'number')).toBe(true);
    // Retries are separate attempts, each its own span and request id.
    const ids = spans().map((s) => s.attributes[semconv.ATTR_OPENAI_REQUEST_ID]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never carry the API key or the prompt, in either encoding', () => {
    const apiKey = demoEnv['OPENAI_API_KEY'] ?? 'missing';
    for (const request of receiver.requests) {
      const body = request.body.toString('latin1');
      expect(body).not.toContain(apiKey);
      expect(body).not.toMatch(/Say hello|Count to five|Burst request|rate limits/);
      expect(body).not.toMatch(/authorization|api-key|cookie/i);
    }
  });
});
