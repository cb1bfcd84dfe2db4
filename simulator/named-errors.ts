import { contextWindow } from './context-window.ts';
import type { NamedError } from './controls.ts';
import { contextLengthExceeded, insufficientQuota, invalidApiKey, modelNotFound, rateLimited, serverError, type ApiError } from './errors.ts';
import type { RateLimitSnapshot } from './rate-limiter.ts';
import type { SimulatorOptions } from './types.ts';

/** The OpenAI error an `x-simulator-error` control names, worded for this call. */
export function namedError(name: NamedError, call: { apiKey: string; model: string }, options: SimulatorOptions, snapshot: RateLimitSnapshot): ApiError {
  switch (name) {
    case 'insufficient_quota':
      return insufficientQuota();
    case 'rate_limit_requests':
    case 'rate_limit_tokens': {
      const kind = name === 'rate_limit_requests' ? 'requests' : 'tokens';
      const limit = kind === 'requests' ? snapshot.limitRequests : snapshot.limitTokens;
      return rateLimited({ kind, limit, used: limit, requested: 1, retryAfterMs: 1000 }, call.model, options.organization);
    }
    case 'invalid_api_key':
      return invalidApiKey(call.apiKey);
    case 'model_not_found':
      return modelNotFound(call.model);
    case 'context_length_exceeded': {
      const window = contextWindow(call.model);
      return contextLengthExceeded(window, window + 1);
    }
    case 'server_error':
      return serverError();
  }
}
