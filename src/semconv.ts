/**
 * Every attribute, metric name, unit and bucket boundary this package emits, in one place.
 * The stable HTTP names are spelled out rather than imported: they can no longer change, and
 * `@opentelemetry/semantic-conventions` is megabytes of install for seven strings. The GenAI
 * ones are still incubating, and the contrib guidance is to copy incubating names rather than
 * import them (they may move).
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/
 */
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method';
export const ATTR_HTTP_REQUEST_RESEND_COUNT = 'http.request.resend_count';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_URL_FULL = 'url.full';

export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';

export const ATTR_OPENAI_REQUEST_ID = 'openai.request.id';
export const ATTR_OPENAI_ORGANIZATION = 'openai.organization';
export const ATTR_OPENAI_PROJECT = 'openai.project';
export const ATTR_OPENAI_VERSION = 'openai.version';
export const ATTR_OPENAI_PROCESSING_MS = 'openai.processing_ms';
export const ATTR_OPENAI_RATELIMIT_REQUESTS_LIMIT = 'openai.ratelimit.requests.limit';
export const ATTR_OPENAI_RATELIMIT_REQUESTS_REMAINING = 'openai.ratelimit.requests.remaining';
export const ATTR_OPENAI_RATELIMIT_REQUESTS_RESET = 'openai.ratelimit.requests.reset';
export const ATTR_OPENAI_RATELIMIT_TOKENS_LIMIT = 'openai.ratelimit.tokens.limit';
export const ATTR_OPENAI_RATELIMIT_TOKENS_REMAINING = 'openai.ratelimit.tokens.remaining';
export const ATTR_OPENAI_RATELIMIT_TOKENS_RESET = 'openai.ratelimit.tokens.reset';
export const ATTR_OPENAI_RETRY_AFTER = 'openai.retry_after';

/** What the response body gives, where the runtime lets it be read. */
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
/** On the latest conventions' token counters, in place of `gen_ai.token.type`. */
export const ATTR_GEN_AI_TOKEN_MODALITY = 'gen_ai.token.modality';
export const ATTR_OPENAI_RESPONSE_SERVICE_TIER = 'openai.response.service_tier';
export const ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT = 'openai.response.system_fingerprint';
export const ATTR_OPENAI_ERROR_CODE = 'openai.error.code';
export const ATTR_OPENAI_ERROR_TYPE = 'openai.error.type';
/** From the path, on every runtime. */
export const ATTR_OPENAI_API_TYPE = 'openai.api.type';

/**
 * `gen_ai.token.modality` for every count: OpenAI's usage totals are not split by modality
 * (the `*_tokens_details` break out audio or image tokens only on some models), and the
 * conventions say to count such totals as `unknown`.
 */
export const TOKEN_MODALITY_UNKNOWN = 'unknown';

/** `gen_ai.token.type` values. */
export const TOKEN_TYPE_INPUT = 'input';
export const TOKEN_TYPE_OUTPUT = 'output';

/**
 * `openai.api.type` values: the two semconv defines, and the same naming (the API's path) for
 * the other two endpoints whose bodies are read.
 */
export const API_TYPE_CHAT_COMPLETIONS = 'chat_completions';
export const API_TYPE_RESPONSES = 'responses';
export const API_TYPE_COMPLETIONS = 'completions';
export const API_TYPE_EMBEDDINGS = 'embeddings';

/** `openai.error.code` on the duration histogram for a code not in the documented list. */
export const OPENAI_ERROR_CODE_OTHER = '_OTHER';

/** `gen_ai.provider.name` values. */
export const PROVIDER_OPENAI = 'openai';
export const PROVIDER_AZURE_OPENAI = 'azure.ai.openai';

/** `gen_ai.operation.name` values from the semconv registry. */
export const OPERATION_CHAT = 'chat';
export const OPERATION_TEXT_COMPLETION = 'text_completion';
export const OPERATION_EMBEDDINGS = 'embeddings';

export const METRIC_REQUESTS_REMAINING = 'openai.ratelimit.requests.remaining';
export const METRIC_REQUESTS_LIMIT = 'openai.ratelimit.requests.limit';
export const METRIC_TOKENS_REMAINING = 'openai.ratelimit.tokens.remaining';
export const METRIC_TOKENS_LIMIT = 'openai.ratelimit.tokens.limit';
export const METRIC_REQUESTS_RESET = 'openai.ratelimit.requests.reset';
export const METRIC_TOKENS_RESET = 'openai.ratelimit.tokens.reset';
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
export const METRIC_OPENAI_PROCESSING_DURATION = 'openai.processing.duration';
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
export const METRIC_GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK = 'gen_ai.client.operation.time_to_first_chunk';

/**
 * The latest GenAI conventions (open-telemetry/semantic-conventions-genai, `client-inference.md`,
 * `gen-ai-token-metrics.md`, `client-embeddings.md`), emitted in place of the three
 * `gen_ai.client.*` names above when `OTEL_SEMCONV_STABILITY_OPT_IN` lists
 * `gen_ai_latest_experimental`. Embeddings calls have their own duration and token histogram
 * there; every other call is an inference call.
 */
export const METRIC_GEN_AI_CLIENT_INFERENCE_DURATION = 'gen_ai.client.inference.duration';
export const METRIC_GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK = 'gen_ai.client.inference.time_to_first_chunk';
export const METRIC_GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK = 'gen_ai.client.inference.time_per_output_chunk';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS = 'gen_ai.client.inference.usage.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS = 'gen_ai.client.inference.usage.output_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.client.inference.usage.cache_read.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.client.inference.usage.reasoning.output_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS = 'gen_ai.client.inference.operation.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS = 'gen_ai.client.inference.operation.output_tokens';
export const METRIC_GEN_AI_CLIENT_EMBEDDINGS_DURATION = 'gen_ai.client.embeddings.duration';
export const METRIC_GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS = 'gen_ai.client.embeddings.operation.input_tokens';

/**
 * The environment variable and the value that switch to the latest GenAI conventions, as
 * OpenTelemetry's instrumentations read them: a comma-separated list of opt-ins.
 * https://github.com/open-telemetry/semantic-conventions/blob/main/docs/gen-ai/README.md
 */
export const ENV_SEMCONV_STABILITY_OPT_IN = 'OTEL_SEMCONV_STABILITY_OPT_IN';
export const SEMCONV_OPT_IN_GEN_AI_LATEST = 'gen_ai_latest_experimental';

export const UNIT_REQUEST = '{request}';
export const UNIT_TOKEN = '{token}';
export const UNIT_SECONDS = 's';

/**
 * Bucket boundaries semconv gives for `gen_ai.client.operation.duration`, and for
 * `gen_ai.client.operation.time_to_first_chunk`; the latest conventions give the same for their
 * durations and chunk times.
 */
export const GEN_AI_DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
] as const;

/**
 * Bucket boundaries semconv gives for `gen_ai.client.token.usage`: powers of 4 up to 4^13 (and the
 * latest conventions for their per-operation token histograms).
 */
export const GEN_AI_TOKEN_USAGE_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
] as const;
