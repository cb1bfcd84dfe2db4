/**
 * `node --import opentelemetry-instrumentation-openai-http/register app.js`
 *
 * Starts the NodeSDK with this instrumentation. Exporters, endpoints, protocol, service name
 * and intervals come only from the standard `OTEL_*` variables (OTLP over HTTP by default;
 * `OTEL_SDK_DISABLED=true` turns it all off). Telemetry is flushed when the event loop empties
 * and on SIGTERM / SIGINT, within SHUTDOWN_TIMEOUT_MS; then the process ends as it would have
 * without us: if the app has its own handler for the signal, that handler decides.
 *
 * `@opentelemetry/sdk-node` is an optional peer: apps that build their own SDK don't need it
 * installed, so it is loaded only here, and its absence stops the app with the fix in words.
 */
import { diag } from '@opentelemetry/api';
import { OpenAIHttpInstrumentation } from './instrumentation.ts';

const SHUTDOWN_TIMEOUT_MS = 5_000;
const SDK_PACKAGE = '@opentelemetry/sdk-node';

const MISSING_SDK_MESSAGE =
  `opentelemetry-instrumentation-openai-http/register starts the OpenTelemetry NodeSDK, but ${SDK_PACKAGE} is not installed. ` +
  `Install it next to this package (npm install ${SDK_PACKAGE}), or leave out --import and add ` +
  'new OpenAIHttpInstrumentation() to the NodeSDK your app already starts.';

function isMissingSdk(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // Only the SDK itself missing: a broken install inside it keeps its own error.
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${SDK_PACKAGE}'`);
}

const { NodeSDK } = await import('@opentelemetry/sdk-node').catch((error: unknown) => {
  throw isMissingSdk(error) ? new Error(MISSING_SDK_MESSAGE, { cause: error }) : error;
});

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
