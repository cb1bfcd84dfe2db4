export { OpenAIHttpInstrumentation } from './instrumentation.ts';
export { parseResetDuration } from './openai/duration.ts';
export type { EndpointConfig, OpenAIHttpInstrumentationConfig, OpenAIResponseInfo } from './types.ts';
