import { loadLibrary } from '../lib.ts';
import { startSdk } from '../otel-sdk.ts';
import { NOTHING_EXPORTED, fetchChat } from './request.ts';
import { sdkChat } from './openai-sdk.ts';
import type { Target, Workload } from './types.ts';

export interface OursOptions {
  /** Rate-limit gauges and histograms on, collected every second. */
  readonly metrics: boolean;
  /** False: the simulator is not configured as an endpoint, so every request is "another host". */
  readonly matchTarget: boolean;
  readonly client: 'fetch' | 'openai';
}

/** (d), (e), (f) and (g, instrumented): this library on the shared SDK. */
export function oursVariant(options: OursOptions): (target: Target) => Promise<Workload> {
  return async (target) => {
    const { OpenAIHttpInstrumentation } = await loadLibrary();
    const sdk = startSdk({ metrics: options.metrics });
    const instrumentation = new OpenAIHttpInstrumentation({
      enabled: false,
      endpoints: options.matchTarget ? [target.baseUrl] : [],
    });
    instrumentation.setTracerProvider(sdk.tracerProvider);
    if (sdk.meterProvider) instrumentation.setMeterProvider(sdk.meterProvider);
    instrumentation.enable();
    // BENCH_COMPARE=<path to a changed copy of src/index.ts>: ON/OFF blocks (child.ts --mode ab)
    // then switch between that copy (ON) and this library (OFF) instead of this library and
    // nothing: how a hot-path change is judged end to end, in one process.
    const comparePath = process.env['BENCH_COMPARE'];
    let toggle = (on: boolean): void => (on ? instrumentation.enable() : instrumentation.disable());
    if (comparePath) {
      const other = new (await loadLibrary(comparePath)).OpenAIHttpInstrumentation({
        enabled: false,
        endpoints: options.matchTarget ? [target.baseUrl] : [],
      });
      other.setTracerProvider(sdk.tracerProvider);
      if (sdk.meterProvider) other.setMeterProvider(sdk.meterProvider);
      toggle = (on) => {
        (on ? instrumentation : other).disable();
        (on ? other : instrumentation).enable();
      };
    }
    return {
      call: options.client === 'openai' ? sdkChat(target.baseUrl) : fetchChat(target.baseUrl),
      toggle,
      flush: () => sdk.tracerProvider.forceFlush(),
      exported: sdk.exported,
      async shutdown() {
        instrumentation.disable();
        await sdk.shutdown();
      },
    };
  };
}

/** (g, bare) The official SDK without OpenTelemetry. */
export async function openaiBare(target: Target): Promise<Workload> {
  return {
    call: sdkChat(target.baseUrl),
    flush: async () => {},
    exported: () => NOTHING_EXPORTED,
    shutdown: async () => {},
  };
}
