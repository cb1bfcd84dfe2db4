/** Models `GET /v1/models` lists; the simulator serves any model name, listed or not. */
const LISTED = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-3.5-turbo-instruct', 'text-embedding-3-small', 'text-embedding-3-large', 'text-embedding-ada-002'];

// A fixed date (2024-05-13) so listings are stable across runs.
const CREATED = 1715558400;

function model(id: string): Record<string, unknown> {
  return { id, object: 'model', created: CREATED, owned_by: id.startsWith('gpt-') || id.startsWith('text-') ? 'system' : 'simulator' };
}

/** The model `list`, including models that have their own limits configured. */
export function modelList(extra: Iterable<string>): string {
  const ids = new Set([...LISTED, ...extra]);
  return JSON.stringify({ object: 'list', data: [...ids].map(model) });
}

/** One model object: every id exists, since any model name may be used with the simulator. */
export function modelObject(id: string): string {
  return JSON.stringify(model(id));
}
