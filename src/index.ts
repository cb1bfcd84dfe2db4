export { OpenAIHttpInstrumentation } from './instrumentation.ts';
export { parseResetDuration } from './headers/duration.ts';
export type { EndpointConfig, OpenAIHttpInstrumentationConfig, OpenAIResponseInfo } from './types.ts';
