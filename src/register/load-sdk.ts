import { createRequire } from 'node:module';

const SDK_PACKAGE = '@opentelemetry/sdk-node';

const MISSING_SDK_MESSAGE =
  `opentelemetry-instrumentation-openai-http/register starts the OpenTelemetry NodeSDK, but ${SDK_PACKAGE} is not installed. ` +
  `Install it next to this package (npm install ${SDK_PACKAGE}), or leave out --import / --require and add ` +
  'new OpenAIHttpInstrumentation() to the NodeSDK your app already starts.';

function isMissingSdk(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // Only the SDK itself missing: a broken install inside it keeps its own error.
  return code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.startsWith(`Cannot find module '${SDK_PACKAGE}'`);
}

/**
 * `@opentelemetry/sdk-node`, loaded only by `/register`: it is an optional peer, so apps that
 * start their own SDK need not install it, and its absence stops the app with the fix in words.
 *
 * Loaded with `require`, not `import()`: synchronously, so `/register` has no top-level await
 * and `--require` can load it; and through the SDK's CommonJS build, whose `require('http')`
 * leaves Node's lazy `http.WebSocket` getter alone. An ES `import` of `node:http` reads every
 * export of it, which on Node 22 and 24.0-24.3 loads Node's bundled undici and installs its Agent
 * as the global dispatcher before the app's own npm `undici` 7 can install a newer one; that
 * bundled undici publishes no response body chunks, so the body attributes would be lost.
 */
export function loadNodeSdk(): typeof import('@opentelemetry/sdk-node') {
  try {
    // The name spelled out at the call: bundlers that follow createRequire (webpack) see it.
    const require = createRequire(import.meta.url);
    return require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  } catch (error) {
    throw isMissingSdk(error) ? new Error(MISSING_SDK_MESSAGE, { cause: error }) : error;
  }
}
