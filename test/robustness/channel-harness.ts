import { diag, DiagLogLevel, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'vitest';
import { metricPoints } from '../helpers/metric-points.ts';
import type { TestOtel } from '../helpers/otel.ts';

/** Collects what the instrumentation reports through the OpenTelemetry diagnostic logger. */
export function captureDiag(): { errors: unknown[][]; all: unknown[][]; restore(): void } {
  const errors: unknown[][] = [];
  const all: unknown[][] = [];
  const log = (level: string) => (message: string, ...args: unknown[]) => {
    all.push([level, message, ...args]);
    if (level === 'error') errors.push([message, ...args]);
  };
  diag.setLogger(
    { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), verbose: log('verbose') },
    { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
  );
  return { errors, all, restore: () => diag.disable() };
}

/** No attribute anywhere is NaN, infinite or blank (absent rather than a guess). */
export function expectCleanAttributes(attributes: Attributes, where: string): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'number') expect(Number.isFinite(value), `${where} ${key}=${value}`).toBe(true);
    else if (typeof value === 'string') expect(value.trim().length > 0, `${where} ${key} is blank`).toBe(true);
    else expect(value !== undefined && value !== null, `${where} ${key}`).toBe(true);
  }
}

export function expectCleanSpans(spans: readonly ReadableSpan[]): void {
  for (const span of spans) {
    expect(span.ended).toBe(true);
    expect(span.name.trim().length).toBeGreaterThan(0);
    expectCleanAttributes(span.attributes, span.name);
  }
}

/** Metrics collect without errors, and every point is finite, non-negative and cleanly labelled. */
export async function expectCleanMetrics(otel: TestOtel): Promise<void> {
  for (const point of metricPoints(await otel.reader.read())) {
    expect(Number.isFinite(point.value) && point.value >= 0, `${point.name}=${point.value}`).toBe(true);
    expectCleanAttributes(point.attributes, point.name);
  }
}
