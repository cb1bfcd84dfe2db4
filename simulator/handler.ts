import { readApiKey } from './auth.ts';
import { readBody } from './body.ts';
import { readControls } from './controls.ts';
import { maxCompletionTokens, promptTokens, tokenCost } from './cost.ts';
import { badRequest, forcedStatus, missingApiKey, rateLimited, tooLarge } from './errors.ts';
import type { JsonObject, Operation, SimRequest, SimResponse } from './internal-types.ts';
import { RateLimiter, type Rejection } from './rate-limiter.ts';
import { sendError, sendJson, sendStream, type Exchange } from './reply.ts';
import { chatChunks, chatCompletion } from './responses/chat.ts';
import { textCompletion, textCompletionChunks } from './responses/completions.ts';
import { embeddingInputs, embeddingList } from './responses/embeddings.ts';
import { generate } from './responses/generation.ts';
import { modelList, modelObject } from './responses/models.ts';
import { matchRoute } from './routes.ts';
import type { SimulatorOptions } from './types.ts';
import { isError, parseBody, validateBody } from './validate.ts';

export type Handler = (req: SimRequest, res: SimResponse) => void;

/**
 * The request pipeline, in the order OpenAI answers: route (404), API key (401), body (400),
 * forced status (x-simulator-status), rate limit (429), then the simulated result.
 * `onRequest` counts every request, whatever its outcome.
 */
export function createHandler(options: SimulatorOptions, onRequest: () => void): Handler {
  const limiter = new RateLimiter(options);
  const models = modelList(Object.keys(options.limitsByModel ?? {}));

  return (req, res) => {
    onRequest();
    const exchange: Exchange = { res, options, controls: readControls(req.headers), startedAt: performance.now(), rateLimit: undefined };
    const route = matchRoute(req.method ?? 'GET', req.url ?? '/', options.mode);
    if (isError(route)) return sendError(exchange, route);
    const apiKey = readApiKey(req.headers, options.mode);
    if (apiKey === undefined) return sendError(exchange, missingApiKey());
    if (route.kind !== 'generate') {
      if (exchange.controls.status !== undefined) return sendError(exchange, forcedStatus(exchange.controls.status));
      return sendJson(exchange, 200, route.kind === 'models' ? models : modelObject(route.id));
    }
    readBody(req, (text) => {
      if (text === undefined) return sendError(exchange, tooLarge());
      const body = parseBody(text);
      if (isError(body)) return sendError(exchange, body);
      const model = route.deployment ?? body['model'];
      if (typeof model !== 'string' || model === '') return sendError(exchange, badRequest('You must provide a model parameter.', 'model'));
      const invalid = validateBody(route.operation, body);
      if (invalid !== undefined) return sendError(exchange, invalid);
      respond(exchange, limiter, apiKey, model, route.operation, body);
    });
  };
}

function respond(exchange: Exchange, limiter: RateLimiter, apiKey: string, model: string, operation: Operation, body: JsonObject): void {
  const now = performance.now();
  const forced = exchange.controls.status;
  if (forced !== undefined) {
    // A forced error shows the buckets as they are and, like any failed request, charges nothing.
    exchange.rateLimit = limiter.peek(apiKey, model, now);
    return sendError(exchange, forcedStatus(forced));
  }
  const admission = limiter.admit(apiKey, model, tokenCost(operation, body), now);
  exchange.rateLimit = admission.snapshot;
  if (!admission.admitted) {
    return sendError(exchange, rateLimited(admission.rejection, model, exchange.options.organization), retryAfter(admission.rejection));
  }
  const prompt = promptTokens(operation, body);
  if (operation === 'embeddings') {
    return sendJson(exchange, 200, embeddingList(model, body, embeddingInputs(body['input']) ?? [], prompt));
  }
  const generation = generate(model, prompt, maxCompletionTokens(operation, body));
  if (body['stream'] !== true) {
    return sendJson(exchange, 200, operation === 'chat' ? chatCompletion(generation) : textCompletion(generation));
  }
  const streamOptions = body['stream_options'];
  const includeUsage = typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as JsonObject)['include_usage'] === true;
  sendStream(exchange, operation === 'chat' ? chatChunks(generation, includeUsage) : textCompletionChunks(generation, includeUsage));
}

/**
 * When to retry: `retry-after-ms` (which the openai SDK obeys below 60 s) and `retry-after`
 * in whole seconds, rounded up. A request that can never fit gets neither.
 */
function retryAfter({ retryAfterMs }: Rejection): Record<string, string> | undefined {
  if (!Number.isFinite(retryAfterMs)) return undefined;
  return { 'retry-after-ms': String(retryAfterMs), 'retry-after': String(Math.ceil(retryAfterMs / 1000)) };
}
