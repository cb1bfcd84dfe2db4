import { badRequest, invalidUrl, type ApiError } from './errors.ts';
import type { Operation } from './internal-types.ts';
import type { SimulatorOptions } from './types.ts';

export type Route =
  /** A rate-limited endpoint; `deployment` (azure mode) names the model instead of the body. */
  | { kind: 'generate'; operation: Operation; deployment?: string }
  /** The simulator's own test controls, outside the API's paths. */
  | { kind: 'quota-control' }
  | { kind: 'models' }
  | { kind: 'model'; id: string };

const OPERATIONS: ReadonlyMap<string, Operation> = new Map([
  ['chat/completions', 'chat'],
  ['completions', 'text_completion'],
  ['embeddings', 'embeddings'],
  ['responses', 'responses'],
]);

export const QUOTA_CONTROL_PATH = '/_simulator/quota';

const AZURE_DEPLOYMENT = /^\/openai\/deployments\/([^/]+)\/(.+)$/;

/** Maps method and request target to an endpoint, or to the error OpenAI (or Azure) answers. */
export function matchRoute(method: string, target: string, mode: SimulatorOptions['mode']): Route | ApiError {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  if (path === QUOTA_CONTROL_PATH) return method === 'POST' ? { kind: 'quota-control' } : invalidUrl(method, path);
  const route = mode === 'openai' ? openAiRoute(method, path) : azureRoute(method, path);
  if (route === undefined) return invalidUrl(method, path);
  // Azure rejects calls without an api-version; the AzureOpenAI client always sends one.
  if (mode === 'azure' && !new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1)).get('api-version')) {
    return badRequest('Missing required query parameter: api-version', 'api-version');
  }
  return route;
}

function openAiRoute(method: string, path: string): Route | undefined {
  if (!path.startsWith('/v1/')) return undefined;
  const rest = path.slice(4);
  if (method === 'POST') {
    const operation = OPERATIONS.get(rest);
    return operation === undefined ? undefined : { kind: 'generate', operation };
  }
  if (method !== 'GET') return undefined;
  if (rest === 'models') return { kind: 'models' };
  // Model ids may contain slashes (`org/model` on compatible servers), so take the whole rest.
  if (rest.startsWith('models/') && rest.length > 7) return modelRoute(rest.slice(7));
  return undefined;
}

function azureRoute(method: string, path: string): Route | undefined {
  if (method === 'GET') return path === '/openai/models' ? { kind: 'models' } : undefined;
  if (method !== 'POST') return undefined;
  // Azure serves the Responses API outside deployments, with the model in the body (as the AzureOpenAI client calls it).
  if (path === '/openai/responses') return { kind: 'generate', operation: 'responses' };
  const match = AZURE_DEPLOYMENT.exec(path);
  const operation = match?.[2] === undefined ? undefined : OPERATIONS.get(match[2]);
  const deployment = decoded(match?.[1]);
  if (operation === undefined || deployment === undefined) return undefined;
  return { kind: 'generate', operation, deployment };
}

function modelRoute(encoded: string): Route | undefined {
  const id = decoded(encoded);
  return id === undefined ? undefined : { kind: 'model', id };
}

function decoded(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
