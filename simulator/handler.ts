import { readApiKey } from './auth.ts';
import { readBody } from './body.ts';
import { contextWindow } from './context-window.ts';
import { readControls } from './controls.ts';
import { choiceCount, maxCompletionTokens, promptTokens, tokenCost } from './cost.ts';
import { badRequest, contextLengthExceeded, forcedStatus, insufficientQuota, missingApiKey, rateLimited, tooLarge, UNKNOWN_ERROR_SHAPE } from './errors.ts';
import { namedError } from './named-errors.ts';
import type { JsonObject, Operation, SimRequest, SimResponse } from './internal-types.ts';
import type { QuotaBook } from './quota.ts';
import { handleQuotaControl } from './quota-control.ts';
import { RateLimiter, type Rejection } from './rate-limiter.ts';
import { chooseEncoding, sendError, sendJson, sendStream, type Exchange } from './reply.ts';
import { chatChunks, chatCompletion } from './responses/chat.ts';
import { textCompletion, textCompletionChunks } from './responses/completions.ts';
import { embeddingInputs, embeddingList } from './responses/embeddings.ts';
import { completionTokens, generate } from './responses/generation.ts';
import { modelList, modelObject } from './responses/models.ts';
import { responseEvents, responseObject } from './responses/responses-api.ts';
import { matchRoute } from './routes.ts';
import { dataEvents, namedEvents } from './sse.ts';
import type { SimulatorOptions } from './types.ts';
import { isError, parseBody, validateBody } from './validate.ts';

export type Handler = (req: SimRequest, res: SimResponse) => void;

/** What one API call needs besides the exchange: who calls, which model, what they asked. */
interface Call {
  apiKey: string;
  model: string;
  operation: Operation;
  body: JsonObject;
}

/**
 * The request pipeline, in the order OpenAI answers: route (404), API key (401), body (400),
 * forced errors (x-simulator-*), context length (400), quota (429 insufficient_quota),
 * rate limit (429), then the simulated result. `onRequest` counts every API request,
 * whatever its outcome (test-control calls are not API requests).
 */
export function createHandler(options: SimulatorOptions, quota: QuotaBook, onRequest: () => void): Handler {
  const limiter = new RateLimiter(options);
  const models = modelList(Object.keys(options.limitsByModel ?? {}));

  return (req, res) => {
    const controls = readControls(req.headers);
    const exchange: Exchange = { res, options, controls, startedAt: performance.now(), rateLimit: undefined, encoding: chooseEncoding(req, options, controls) };
    const route = matchRoute(req.method ?? 'GET', req.url ?? '/', options.mode);
    if (!isError(route) && route.kind === 'quota-control') return handleQuotaControl(req, exchange, quota);
    onRequest();
    if (isError(route)) return sendError(exchange, route);
    const apiKey = readApiKey(req.headers, options.mode);
    if (apiKey === undefined) return sendError(exchange, missingApiKey());
    if (route.kind !== 'generate') {
      if (controls.status !== undefined) return sendError(exchange, forcedStatus(controls.status));
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
      respond(exchange, limiter, quota, { apiKey, model, operation: route.operation, body });
    });
  };
}

function respond(exchange: Exchange, limiter: RateLimiter, quota: QuotaBook, call: Call): void {
  const { apiKey, model, operation, body } = call;
  const now = performance.now();
  const { status, error, fault } = exchange.controls;
  if (status !== undefined || error !== undefined || fault === 'unknown-error-shape') {
    // A forced error shows the buckets as they are and, like any failed request, charges nothing.
    exchange.rateLimit = limiter.peek(apiKey, model, now);
    if (fault === 'unknown-error-shape') return sendJson(exchange, status ?? 500, UNKNOWN_ERROR_SHAPE);
    if (error !== undefined) return sendError(exchange, namedError(error, call, exchange.options, exchange.rateLimit));
    return sendError(exchange, forcedStatus(status ?? 500));
  }
  const prompt = promptTokens(operation, body);
  const maxTokens = maxCompletionTokens(operation, body);
  const window = contextWindow(model);
  if (operation !== 'embeddings' && prompt + maxTokens > window) return sendError(exchange, contextLengthExceeded(window, prompt + maxTokens));
  if (quota.isExhausted(apiKey)) {
    exchange.rateLimit = limiter.peek(apiKey, model, now);
    return sendError(exchange, insufficientQuota());
  }
  const admission = limiter.admit(apiKey, model, tokenCost(operation, body), now);
  exchange.rateLimit = admission.snapshot;
  if (!admission.admitted) {
    return sendError(exchange, rateLimited(admission.rejection, model, exchange.options.organization), retryAfter(admission.rejection));
  }
  if (operation === 'embeddings') {
    quota.spend(apiKey, prompt);
    return sendJson(exchange, 200, embeddingList(model, body, embeddingInputs(body['input']) ?? [], prompt));
  }
  const generation = generate(model, prompt, maxTokens, choiceCount(operation, body));
  quota.spend(apiKey, prompt + completionTokens(generation));
  const streamed = body['stream'] === true;
  if (operation === 'responses') {
    return streamed ? sendStream(exchange, namedEvents(responseEvents(generation, body))) : sendJson(exchange, 200, responseObject(generation, body));
  }
  if (!streamed) return sendJson(exchange, 200, operation === 'chat' ? chatCompletion(generation) : textCompletion(generation));
  const streamOptions = body['stream_options'];
  const includeUsage = typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as JsonObject)['include_usage'] === true;
  sendStream(exchange, dataEvents(operation === 'chat' ? chatChunks(generation, includeUsage) : textCompletionChunks(generation, includeUsage)));
}

/**
 * When to retry: `retry-after-ms` (which the openai SDK obeys below 60 s) and `retry-after`
 * in whole seconds, rounded up. A request that can never fit gets neither.
 */
function retryAfter({ retryAfterMs }: Rejection): Record<string, string> | undefined {
  if (!Number.isFinite(retryAfterMs)) return undefined;
  return { 'retry-after-ms': String(retryAfterMs), 'retry-after': String(Math.ceil(retryAfterMs / 1000)) };
}
