import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RESPONSE_BODY_FIELDS } from '../../../src/openai/body-fields.ts';
import { RESPONSE_HEADERS } from '../../../src/openai/headers.ts';
import { ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, ATTR_OPENAI_API_TYPE } from '../../../src/semconv.ts';

const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
const spansSection = readme.slice(readme.indexOf('\n## Spans\n'), readme.indexOf('\n### Where the model can be read\n'));

/** Rows of the README's span attribute table: [attribute, type, from]. */
const rows = new Map(
  spansSection
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
    // `a` / `b` rows document two attributes at once.
    .flatMap(([attribute, type, from]) => attribute!.split(' / ').map((name) => [name.replace(/^`|`$/g, ''), { type: type!, from: from! }] as const)),
);

const headerAttributes = [...new Set(RESPONSE_HEADERS.flatMap((row) => (row.attribute === undefined ? [] : [row.attribute])))];
const bodyAttributes = RESPONSE_BODY_FIELDS.map((row) => row.attribute);

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

  it('documents every body attribute with its type and the body field it is read from', () => {
    for (const row of RESPONSE_BODY_FIELDS) {
      const documented = rows.get(row.attribute);
      expect(documented, row.attribute).toBeDefined();
      expect(documented!.type.startsWith(row.type), `${row.attribute}: ${documented!.type}`).toBe(true);
      expect(documented!.from.startsWith('body:') || documented!.from.startsWith('error bodies'), row.attribute).toBe(true);
      expect(documented!.from, row.attribute).toContain(row.from.split('.').at(-1)!);
    }
    expect(rows.get(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK)?.type).toBe('double, seconds');
  });

  it('documents no openai.* attribute the code does not set', () => {
    const documentedOpenAI = [...rows.keys()].filter((name) => name.startsWith('openai.'));
    const set = [...headerAttributes, ...bodyAttributes.filter((a) => a.startsWith('openai.')), ATTR_OPENAI_API_TYPE];
    expect(documentedOpenAI.sort()).toEqual(set.sort());
  });
});
