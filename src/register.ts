/**
 * `node --import opentelemetry-instrumentation-openai-http/register app.js`
 *
 * Starts the NodeSDK with this instrumentation. Exporters, endpoints, protocol, service name
 * and intervals come only from the standard `OTEL_*` variables (OTLP over HTTP by default;
 * `OTEL_SDK_DISABLED=true` turns it all off). Telemetry is flushed when the event loop empties
 * and on SIGTERM / SIGINT, within SHUTDOWN_TIMEOUT_MS; then the process ends as it would have
 * without us: if the app has its own handler for the signal, that handler decides.
 */
import { diag } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OpenAIHttpInstrumentation } from './instrumentation.ts';

const SHUTDOWN_TIMEOUT_MS = 5_000;

const sdk = new NodeSDK({ instrumentations: [new OpenAIHttpInstrumentation()] });
sdk.start();

let shutdown: Promise<void> | undefined;
function flush(): Promise<void> {
  shutdown ??= new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    sdk.shutdown().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        diag.error('opentelemetry-instrumentation-openai-http: flushing telemetry failed', error);
        clearTimeout(timer);
        resolve();
      },
    );
  });
  return shutdown;
}

// The loop is empty: flushing keeps it alive just long enough, then the app exits as usual.
process.once('beforeExit', () => void flush());

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
