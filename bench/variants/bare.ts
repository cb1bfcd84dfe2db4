import { startSdk } from '../otel-sdk.ts';
import { NOTHING_EXPORTED, fetchChat } from './request.ts';
import type { Target, Workload } from './types.ts';

/** (a) Global fetch, no OpenTelemetry at all: the baseline every ratio divides by. */
export async function bareFetch(target: Target): Promise<Workload> {
  return { call: fetchChat(target.baseUrl), flush: async () => {}, exported: () => NOTHING_EXPORTED, shutdown: async () => {} };
}

/** (b) The SDK registered (context manager, propagators, span processor), no instrumentation. */
export async function sdkOnly(target: Target): Promise<Workload> {
  const sdk = startSdk({ metrics: false });
  return {
    call: fetchChat(target.baseUrl),
    flush: () => sdk.tracerProvider.forceFlush(),
    exported: sdk.exported,
    shutdown: sdk.shutdown,
  };
}
