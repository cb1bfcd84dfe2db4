/** Context windows in tokens, by model prefix (longest first); the rest get gpt-4o's 128k. */
const WINDOWS: readonly (readonly [prefix: string, tokens: number])[] = [
  ['gpt-3.5-turbo-instruct', 4_096],
  ['gpt-3.5-turbo', 16_385],
  ['gpt-4.1', 1_047_576],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4', 200_000],
];
const DEFAULT_WINDOW = 128_000;

export function contextWindow(model: string): number {
  return WINDOWS.find(([prefix]) => model.startsWith(prefix))?.[1] ?? DEFAULT_WINDOW;
}
