/**
 * `node --import opentelemetry-instrumentation-openai-http/register app.js` (ESM and CommonJS apps)
 * `node --require opentelemetry-instrumentation-openai-http/register app.js` (CommonJS apps)
 *
 * Starts the NodeSDK with this instrumentation. Exporters, endpoints, protocol, service name
 * and intervals come only from the standard `OTEL_*` variables (OTLP over HTTP by default;
 * `OTEL_SDK_DISABLED=true` turns it all off). Telemetry is flushed when the event loop empties
 * and on SIGTERM / SIGINT, within SHUTDOWN_TIMEOUT_MS; then the process ends as it would have
 * without us: if the app has its own handler for the signal, that handler decides.
 *
 * No top-level await: `--require` and `require()` load this ES module synchronously, which
 * Node refuses for a module graph that awaits (ERR_REQUIRE_ASYNC_MODULE).
 */
import { diag } from '@opentelemetry/api';
import { OpenAIHttpInstrumentation } from './instrumentation.ts';
import { loadNodeSdk } from './register/load-sdk.ts';

const SHUTDOWN_TIMEOUT_MS = 5_000;

const { NodeSDK } = loadNodeSdk();
const sdk = new NodeSDK({ instrumentations: [new OpenAIHttpInstrumentation()] });
sdk.start();

/** Resolves true once the SDK has flushed, false when SHUTDOWN_TIMEOUT_MS passed first. */
let shutdown: Promise<boolean> | undefined;
function flush(): Promise<boolean> {
  shutdown ??= new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    sdk.shutdown().then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      (error: unknown) => {
        diag.error('opentelemetry-instrumentation-openai-http: flushing telemetry failed', error);
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
  return shutdown;
}

// The loop is empty: the app's work is done. Flushing keeps it alive just long enough. An
// exporter that cannot reach its Collector keeps retrying (with timers that hold the loop) until
// its own timeout, 10 s by default, so past our bound the process ends as it was about to.
process.once('beforeExit', () => {
  void flush().then((flushed) => {
    if (!flushed) process.exit();
  });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  const onSignal = (): void => {
    // Listening to a signal disables Node's default exit; restore it once flushed, unless the
    // app listens too, in which case exiting is the app's call.
    const appHandlesIt = process.listenerCount(signal) > 0;
    void flush().then(() => {
      if (!appHandlesIt) process.kill(process.pid, signal);
    });
  };
  process.once(signal, onSignal);
}
