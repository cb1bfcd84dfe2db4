import { readdirSync, readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { parse, type Node } from 'acorn';
import { describe, expect, it } from 'vitest';

/**
 * Our handlers run once per request, which keeps most of them below V8's top tier for the
 * life of an app. There, an object literal with a computed key (`{ [ATTR_X]: v }`) costs a
 * runtime call per key; assigning the same keys one by one goes through inline caches
 * (CONTRIBUTING.md, "Code on the hot path"). Attribute names stay imported from
 * semconv.ts: build the object, then assign.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

type AnyNode = Node & { computed?: boolean; key?: Node; properties?: AnyNode[] };

/** `file:line [key]` of every computed key in an object literal (type stripping keeps lines and columns). */
function computedLiteralKeys(file: string): string[] {
  const js = stripTypeScriptTypes(readFileSync(file, 'utf8'), { mode: 'strip' });
  const program = parse(js, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object' || typeof (value as AnyNode).type !== 'string') return;
    const node = value as AnyNode;
    if (node.type === 'ObjectExpression') {
      for (const property of node.properties ?? []) {
        if (property.type === 'Property' && property.computed && property.key !== undefined) {
          found.push(`${path.relative(SRC, file)}:${property.loc!.start.line} [${js.slice(property.key.start, property.key.end)}]`);
        }
      }
    }
    for (const key of Object.keys(node)) if (key !== 'loc') visit((node as unknown as Record<string, unknown>)[key]);
  };
  visit(program);
  return found;
}

describe('object literals in src/', () => {
  it('have no computed keys', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(SRC, file));
    expect(files.flatMap(computedLiteralKeys)).toEqual([]);
  });

  it('finds one when there is one', () => {
    const probe = path.join(import.meta.dirname, 'computed-keys.fixture.ts');
    expect(computedLiteralKeys(probe)).toEqual([expect.stringContaining('[KEY]')]);
  });
});
