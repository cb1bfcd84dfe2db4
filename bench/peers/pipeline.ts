import diagnosticsChannel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BatchLogRecordProcessor, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { OpenAIInstrumentation as TraceloopOpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import { UNDICI_CHANNELS } from '../../src/undici/channels.ts';
import { loadLibrary } from '../lib.ts';
import { OPENAI_RESPONSE_HEADERS } from '../variants/undici.ts';
import { OPENAI_PACKAGES, type PeerVariant } from './variants.ts';

const require = createRequire(import.meta.url);

/** What reached the no-op exporters: proof that each instrumentation did its work. */
export interface PipelineCounts {
  spans: number;
  metricDataPoints: number;
  logRecords: number;
}

/**
 * NodeSDK as an app sets it up, the same for every variant: a BatchSpanProcessor, a metric
 * reader every second and a batching log processor, each into an exporter that counts and
 * drops (the pipeline runs, the network does not). Only `instrumentations` differs.
 */
function startNodeSdk(instrumentations: Instrumentation[]): { counts: PipelineCounts; shutdown(): Promise<void> } {
  const counts: PipelineCounts = { spans: 0, metricDataPoints: 0, logRecords: 0 };
  const done = (callback: (result: ExportResult) => void): void => callback({ code: ExportResultCode.SUCCESS });
  const spans: SpanExporter = {
    export: (batch: ReadableSpan[], callback) => {
      counts.spans += batch.length;
      done(callback);
    },
    shutdown: async () => {},
  };
  const metrics: PushMetricExporter = {
    export: (batch: ResourceMetrics, callback) => {
      for (const scope of batch.scopeMetrics) for (const metric of scope.metrics) counts.metricDataPoints += metric.dataPoints.length;
      done(callback);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const logs: LogRecordExporter = {
    export: (batch: ReadableLogRecord[], callback) => {
      counts.logRecords += batch.length;
      done(callback);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const sdk = new NodeSDK({
    spanProcessors: [new BatchSpanProcessor({ exporter: spans })],
    metricReaders: [new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 1000 })],
    logRecordProcessors: [new BatchLogRecordProcessor({ exporter: logs })],
    instrumentations,
  });
  sdk.start();
  return { counts, shutdown: () => sdk.shutdown() };
}

/** A subscriber that does nothing: what merely listening on undici's channels costs. */
function channelsFloor(): () => void {
  const nothing = (): void => {};
  const names = Object.values(UNDICI_CHANNELS);
  for (const name of names) diagnosticsChannel.subscribe(name, nothing);
  return () => {
    for (const name of names) diagnosticsChannel.unsubscribe(name, nothing);
  };
}

type OpenAIModule = typeof import('openai');

/**
 * The SDK instrumentations hook `require('openai')` by that name; the v6 major is installed
 * under an alias, so it is handed to the same patch function their module hook would call.
 */
function patchOpenAIModule(instrumentation: Instrumentation, module: OpenAIModule, version: string): void {
  const definitions = (instrumentation as unknown as { getModuleDefinitions(): Array<{ patch?(exports: unknown, version?: string): unknown }> }).getModuleDefinitions();
  for (const definition of definitions) definition.patch?.(module, version);
}

export interface Pipeline {
  readonly client: InstanceType<OpenAIModule['OpenAI']>;
  /** package name -> version, for the table. */
  readonly versions: Record<string, string>;
  readonly counts: PipelineCounts;
  shutdown(): Promise<void>;
}

export function packageVersion(name: string): string {
  // Some packages do not export ./package.json: read it from the resolved entry's folder.
  const entry = require.resolve(name);
  const marker = `/node_modules/${name}/`;
  const root = entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  return (require(`${root}package.json`) as { version: string }).version;
}

/** Sets one variant up: NodeSDK with its instrumentation, then the `openai` client of its major. */
export async function startPipeline(variant: PeerVariant, baseUrl: string): Promise<Pipeline> {
  const openaiPackage = OPENAI_PACKAGES[variant.major];
  const versions: Record<string, string> = { openai: packageVersion(openaiPackage), '@opentelemetry/sdk-node': packageVersion('@opentelemetry/sdk-node') };
  const instrumentations: Instrumentation[] = [];
  let stopFloor: (() => void) | undefined;
  let sdkPatcher: Instrumentation | undefined;
  switch (variant.instrumenting) {
    case 'none':
      break;
    case 'ours': {
      const { OpenAIHttpInstrumentation } = await loadLibrary();
      instrumentations.push(new OpenAIHttpInstrumentation({ endpoints: [baseUrl] }));
      break;
    }
    case 'undici-headers':
      instrumentations.push(new UndiciInstrumentation({ headersToSpanAttributes: { responseHeaders: OPENAI_RESPONSE_HEADERS } }));
      break;
    case 'channels-floor':
      stopFloor = channelsFloor();
      break;
    case 'contrib-openai':
      sdkPatcher = new ContribOpenAIInstrumentation();
      break;
    case 'traceloop-openai':
      // Its default records prompt and completion text; off, like ours and the contrib one's default.
      sdkPatcher = new TraceloopOpenAIInstrumentation({ traceContent: false });
      break;
  }
  if (sdkPatcher !== undefined) instrumentations.push(sdkPatcher);
  if (variant.packageName !== undefined) versions[variant.packageName] = packageVersion(variant.packageName);
  const sdk = startNodeSdk(instrumentations);
  const module = require(openaiPackage) as OpenAIModule;
  if (sdkPatcher !== undefined) patchOpenAIModule(sdkPatcher, module, versions['openai']!);
  const client = new module.OpenAI({ apiKey: 'sk-bench', baseURL: baseUrl, maxRetries: 0 });
  return {
    client,
    versions,
    counts: sdk.counts,
    async shutdown() {
      stopFloor?.();
      await sdk.shutdown();
    },
  };
}
