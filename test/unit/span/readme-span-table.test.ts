import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RESPONSE_HEADERS } from '../../../src/openai/headers.ts';

const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
const spansSection = readme.slice(readme.indexOf('\n## Spans\n'), readme.indexOf('\n### Where the model can be read\n'));

/** Rows of the README's span attribute table: [attribute, type, from]. */
const rows = new Map(
  spansSection
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
    .map(([attribute, type, from]) => [attribute!.replace(/^`|`$/g, ''), { type: type!, from: from! }]),
);

const headerAttributes = [...new Set(RESPONSE_HEADERS.flatMap((row) => (row.attribute === undefined ? [] : [row.attribute])))];

describe("README span table and the response-header table", () => {
  it('documents every header attribute with its type and every header it is read from', () => {
    for (const row of RESPONSE_HEADERS) {
      if (row.attribute === undefined) continue;
      const documented = rows.get(row.attribute);
      expect(documented, row.attribute).toBeDefined();
      expect(documented!.type.startsWith(row.type!), `${row.attribute}: ${documented!.type}`).toBe(true);
      expect(documented!.from, row.attribute).toContain(`\`${row.header}\``);
    }
  });

  it('documents no openai.* attribute the code does not set', () => {
    const documentedOpenAI = [...rows.keys()].filter((name) => name.startsWith('openai.'));
    expect(documentedOpenAI.sort()).toEqual([...headerAttributes].sort());
  });
});
