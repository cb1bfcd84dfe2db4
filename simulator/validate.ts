import { badRequest, type ApiError } from './errors.ts';
import type { JsonObject, Operation } from './internal-types.ts';
import { embeddingInputs } from './responses/embeddings.ts';

/** Parses the body; OpenAI answers 400 to anything but a JSON object. */
export function parseBody(text: string): JsonObject | ApiError {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as JsonObject;
  } catch {
    // Falls through to the same answer as a non-object.
  }
  return badRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  );
}

/** The required fields OpenAI checks before charging the rate limit (a 400 costs nothing). */
export function validateBody(operation: Operation, body: JsonObject): ApiError | undefined {
  if (operation === 'chat') {
    const messages = body['messages'];
    if (!Array.isArray(messages) || messages.length === 0) return badRequest("'messages' must be a non-empty array.", 'messages');
  } else if (operation === 'responses') {
    const input = body['input'];
    if (typeof input !== 'string' && !(Array.isArray(input) && input.length > 0)) return badRequest("Missing required parameter: 'input'.", 'input');
  } else if (operation === 'embeddings' && embeddingInputs(body['input']) === undefined) {
    return badRequest("'input' must be a string, an array of strings, or an array of token arrays.", 'input');
  }
  return undefined;
}

export function isError(value: object): value is ApiError {
  return 'status' in value;
}
