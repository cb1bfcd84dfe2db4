/**
 * The dated snapshot OpenAI names in a response's `model` when a request uses an alias
 * (`gpt-4o-mini` is answered by `gpt-4o-mini-2024-07-18`). Models not listed, and
 * embedding models (which OpenAI echoes as asked), come back as they were asked.
 */
const SNAPSHOTS: ReadonlyMap<string, string> = new Map([
  ['gpt-4o', 'gpt-4o-2024-08-06'],
  ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'],
  ['gpt-4.1', 'gpt-4.1-2025-04-14'],
  ['gpt-4.1-mini', 'gpt-4.1-mini-2025-04-14'],
  ['gpt-4.1-nano', 'gpt-4.1-nano-2025-04-14'],
  ['gpt-3.5-turbo', 'gpt-3.5-turbo-0125'],
  ['o1', 'o1-2024-12-17'],
  ['o3', 'o3-2025-04-16'],
  ['o3-mini', 'o3-mini-2025-01-31'],
  ['o4-mini', 'o4-mini-2025-04-16'],
]);

export function snapshotOf(model: string): string {
  return SNAPSHOTS.get(model) ?? model;
}

/** o-series models think before they answer, and bill that as reasoning tokens. */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model);
}
