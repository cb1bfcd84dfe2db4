import { InstrumentationBase, type InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { RequestObserver, SourceDeps } from './internal-types.ts';
import { resolveConfig, type ResolvedConfig } from './config.ts';
import { EndpointMatcher } from './match.ts';
import { createMetrics } from './metrics/index.ts';
import { NODE_HTTP_CHANNELS } from './node-http/channels.ts';
import { NodeHttpHandlers } from './node-http/handlers.ts';
import { RequestTracker } from './requests/tracker.ts';
import { subscribeGuarded, type Unsubscribe } from './subscribe.ts';
import type { OpenAIHttpInstrumentationConfig } from './types.ts';
import { UNDICI_CHANNELS } from './undici/channels.ts';
import { UndiciHandlers } from './undici/handlers.ts';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.ts';

/**
 * Two copies of this package in one process (a bundled one and a hoisted one, say) would
 * otherwise both subscribe and emit every span twice: the first to enable owns the channels.
 */
const OWNER = Symbol.for('opentelemetry-instrumentation-openai-http.channel-owner');
type GlobalWithOwner = typeof globalThis & { [OWNER]?: object };

/**
 * OpenTelemetry instrumentation for OpenAI-compatible HTTP APIs, built on undici's
 * diagnostics channels (so it sees global fetch, undici and every SDK on top of them).
 * This class only wires: channels -> handlers -> span / metrics.
 */
export class OpenAIHttpInstrumentation extends InstrumentationBase<OpenAIHttpInstrumentationConfig> {
  // `declare`: the base constructor calls enable() and _updateMetricInstruments() before
  // subclass field initialisers would run, so these must not be re-initialised afterwards.
  declare private _subscriptions: Unsubscribe[] | undefined;
  declare private _tracker: RequestTracker | undefined;
  declare private _undiciHandlers: UndiciHandlers | undefined;
  declare private _nodeHttpHandlers: NodeHttpHandlers | undefined;
  declare private _metrics: (RequestObserver & { dispose(): void }) | undefined;
  declare private _resolved: ResolvedConfig | undefined;
  declare private _matcher: EndpointMatcher | undefined;

  constructor(config: OpenAIHttpInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Nothing to patch: all the data comes from diagnostics channels. */
  protected override init(): InstrumentationNodeModuleDefinition[] {
    return [];
  }

  override setConfig(config: OpenAIHttpInstrumentationConfig = {}): void {
    super.setConfig(config);
    this._resolved = undefined;
    this._matcher = undefined;
  }

  protected override _updateMetricInstruments(): void {
    this._metrics?.dispose();
    // Gauges report only while subscribed: `enable()`/`disable()` here bypass the base class's flag.
    this._metrics = createMetrics(this.meter, () => this.resolved(), {
      active: () => this._subscriptions !== undefined,
      diag: this._diag,
    });
  }

  override enable(): void {
    if (this._subscriptions !== undefined) return;
    const global = globalThis as GlobalWithOwner;
    if (global[OWNER] !== undefined && global[OWNER] !== this) {
      this._diag.warn('another OpenAIHttpInstrumentation is already enabled in this process; this one stays idle');
      return;
    }
    global[OWNER] = this;
    const tracker = (this._tracker ??= new RequestTracker({
      tracer: () => this.tracer,
      config: () => this.resolved(),
      observer: {
        onResponse: (record) => this._metrics?.onResponse(record),
        onEnd: (record, duration, errorType) => this._metrics?.onEnd(record, duration, errorType),
        onChunks: (record, count, sincePrevious) => this._metrics?.onChunks?.(record, count, sincePrevious),
      },
      diag: this._diag,
    }));
    const sourceDeps: SourceDeps = {
      matcher: () => (this._matcher ??= this.createMatcher()),
      propagateTraceContext: () => this.resolved().propagateTraceContext,
      diag: this._diag,
    };
    const undici = (this._undiciHandlers ??= new UndiciHandlers(tracker, sourceDeps));
    const nodeHttp = (this._nodeHttpHandlers ??= new NodeHttpHandlers(tracker, sourceDeps));
    const onError = (channel: string, error: unknown): void => {
      this._diag.error(`handler for ${channel} failed; the request is unaffected`, error);
    };
    this._subscriptions = [
      subscribeGuarded(UNDICI_CHANNELS.create, undici.onCreate, onError),
      subscribeGuarded(UNDICI_CHANNELS.bodyChunkSent, undici.onBodyChunkSent, onError),
      subscribeGuarded(UNDICI_CHANNELS.headers, undici.onHeaders, onError),
      subscribeGuarded(UNDICI_CHANNELS.bodyChunkReceived, undici.onBodyChunkReceived, onError),
      subscribeGuarded(UNDICI_CHANNELS.trailers, undici.onTrailers, onError),
      subscribeGuarded(UNDICI_CHANNELS.error, undici.onError, onError),
      // Clients that bypass undici (openai v4 on node-fetch, axios): Node's own HTTP client.
      subscribeGuarded(NODE_HTTP_CHANNELS.created, nodeHttp.onCreated, onError),
      subscribeGuarded(NODE_HTTP_CHANNELS.responseFinish, nodeHttp.onResponseFinish, onError),
      subscribeGuarded(NODE_HTTP_CHANNELS.error, nodeHttp.onError, onError),
    ];
  }

  override disable(): void {
    const subscriptions = this._subscriptions;
    if (subscriptions === undefined) return;
    this._subscriptions = undefined;
    for (const unsubscribe of subscriptions) unsubscribe();
    const global = globalThis as GlobalWithOwner;
    if (global[OWNER] === this) delete global[OWNER];
    // Calls still in flight will send us nothing more: end their spans now, rather than leave
    // them open, or have the sweeper emit them long after the instrumentation was turned off.
    this._tracker?.endAll();
  }

  /** Requests whose spans are still open (for leak checks). */
  get inFlightRequests(): number {
    return this._tracker?.inFlight ?? 0;
  }

  private resolved(): ResolvedConfig {
    return (this._resolved ??= resolveConfig(this.getConfig()));
  }

  private createMatcher(): EndpointMatcher {
    const { endpoints, envBaseUrl } = this.resolved();
    return new EndpointMatcher(endpoints, envBaseUrl, (message) => this._diag.warn(message));
  }
}
