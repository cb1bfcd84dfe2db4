import { bareFetch, sdkOnly } from './bare.ts';
import { floorVariant, sameOutputFloorVariant } from './floor.ts';
import { openaiBare, oursVariant } from './ours.ts';
import type { SetupVariant } from './types.ts';
import { undiciVariant } from './undici.ts';

export interface VariantInfo {
  readonly id: string;
  /** The variant's letter in the bench tables. */
  readonly label: string;
  readonly description: string;
  readonly setup: SetupVariant;
  /** Whether its spans are expected to reach the exporter (a sanity check on every run). */
  readonly expectsSpans: boolean;
}

/** Every variant, in the order the table lists them. */
export const VARIANTS: readonly VariantInfo[] = [
  { id: 'fetch', label: 'a', description: 'bare fetch, no OpenTelemetry', setup: bareFetch, expectsSpans: false },
  { id: 'sdk', label: 'b', description: 'SDK + batch processor + dropping exporter, no instrumentation', setup: sdkOnly, expectsSpans: false },
  { id: 'undici', label: 'c', description: 'instrumentation-undici, default config, same MeterProvider (records http.client.request.duration)', setup: undiciVariant(false), expectsSpans: true },
  { id: 'undici-headers', label: 'c+h', description: 'instrumentation-undici + OpenAI response headers captured, same MeterProvider', setup: undiciVariant(true), expectsSpans: true },
  { id: 'ours-spans', label: 'd', description: 'this library, spans only', setup: oursVariant({ metrics: false, matchTarget: true, client: 'fetch' }), expectsSpans: true },
  { id: 'ours', label: 'e', description: 'this library, spans + metrics (reader every 100 ms)', setup: oursVariant({ metrics: true, matchTarget: true, client: 'fetch' }), expectsSpans: true },
  { id: 'ours-other-host', label: 'f', description: 'this library, every request to a non-OpenAI host', setup: oursVariant({ metrics: true, matchTarget: false, client: 'fetch' }), expectsSpans: false },
  { id: 'openai-sdk', label: 'g', description: 'official openai SDK, no OpenTelemetry', setup: openaiBare, expectsSpans: false },
  { id: 'floor', label: 'm', description: 'minimal subscriber: one bare SDK span per request (the floor for any span-per-request instrumentation)', setup: floorVariant, expectsSpans: true },
  { id: 'floor-ours', label: 'm+', description: "minimal subscriber emitting our span and metric records with values known in advance (our floor: the SDK's share)", setup: sameOutputFloorVariant, expectsSpans: true },
  { id: 'openai-sdk+ours', label: 'g+e', description: 'official openai SDK + this library (spans + gauges)', setup: oursVariant({ metrics: true, matchTarget: true, client: 'openai' }), expectsSpans: true },
];

export function variantById(id: string): VariantInfo {
  const found = VARIANTS.find((v) => v.id === id);
  if (found === undefined) throw new Error(`unknown variant ${id}; known: ${VARIANTS.map((v) => v.id).join(', ')}`);
  return found;
}
