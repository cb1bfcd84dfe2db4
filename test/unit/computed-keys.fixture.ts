// Read as text by computed-keys.test.ts: one object literal with a computed key, one without.
const KEY = 'gen_ai.provider.name';
export const withComputedKey = { [KEY]: 'openai' };
export const assigned: Record<string, string> = {};
assigned[KEY] = 'openai';
