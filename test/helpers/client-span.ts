import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'vitest';
import type { Simulator } from '../../simulator/index.ts';

export interface ExpectedCall {
  readonly operation: string;
  /** The request model when the client's transport lets us read it, else undefined. */
  readonly model: string | undefined;
  readonly method?: string;
  readonly path?: string;
  readonly provider?: string;
}

/**
 * The span every client must produce for one successful call to the simulator (openai mode):
 * same name, kind, status and attributes, whichever client made the call.
 */
export function expectSimulatorSpan(span: ReadableSpan | undefined, sim: Simulator, call: ExpectedCall): void {
  expect(span).toBeDefined();
  const s = span!;
  expect(s.kind).toBe(SpanKind.CLIENT);
  expect(s.name).toBe(call.model === undefined ? call.operation : `${call.operation} ${call.model}`);
  expect(s.status.code).toBe(SpanStatusCode.UNSET);
  const a = s.attributes;
  expect(a).toMatchObject({
    'gen_ai.provider.name': call.provider ?? 'openai',
    'gen_ai.operation.name': call.operation,
    'server.address': '127.0.0.1',
    'server.port': sim.port,
    'http.request.method': call.method ?? 'POST',
    'http.response.status_code': 200,
    'openai.organization': sim.options.organization,
    'openai.version': sim.options.apiVersion,
  });
  if (call.path !== undefined) expect(a['url.full']).toBe(`${sim.url}${call.path}`);
  expect(a['gen_ai.request.model']).toBe(call.model);
  expect(a['openai.request.id']).toMatch(/^req_[0-9a-f]{32}$/);
  expect(Number.isInteger(a['openai.processing_ms'])).toBe(true);
  expect(a['openai.ratelimit.requests.limit']).toBe(sim.options.requestsPerWindow);
  expect(a['openai.ratelimit.tokens.limit']).toBe(sim.options.tokensPerWindow);
  expect(a['openai.ratelimit.requests.remaining']).toBeTypeOf('number');
  expect(a['openai.ratelimit.requests.reset']).toBeGreaterThan(0);
  expect(a['error.type']).toBeUndefined();
}

/** Milliseconds a span lasted. */
export function durationMs(span: ReadableSpan): number {
  return span.duration[0] * 1e3 + span.duration[1] / 1e6;
}
