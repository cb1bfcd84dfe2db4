import type { Meter } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config.ts';
import type { RequestObserver } from '../internal-types.ts';

/** Placeholder until the metrics module lands: observes nothing. */
export function createMetrics(_meter: Meter, _config: () => ResolvedConfig): RequestObserver & { dispose(): void } {
  return { onResponse() {}, onEnd() {}, dispose() {} };
}
