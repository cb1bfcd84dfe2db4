import { readFileSync } from 'node:fs';

/** One row of the README's span attribute table. */
export interface AttributeRow {
  /** The attribute names the row documents (`a` / `b` rows give two). */
  readonly names: readonly string[];
  /** The type column: `string`, `int`, `double, seconds`, `string[]`, ... */
  readonly type: string;
  /** The "from" column, as written. */
  readonly from: string;
  /** The response headers the row reads, in the order the README gives them. */
  readonly headers: readonly string[];
}

const README = new URL('../../README.md', import.meta.url);

const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const HEADER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/**
 * The README's "Spans" table: what users are promised, and all the conformance oracle knows
 * about which header feeds which attribute.
 */
export function readmeAttributeTable(readme = readFileSync(README, 'utf8')): AttributeRow[] {
  const section = readme.slice(readme.indexOf('\n## Spans'), readme.indexOf('\n### ', readme.indexOf('\n## Spans')));
  const rows: AttributeRow[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [names = '', type = '', from = ''] = line.split(/(?<!\\)\|/).slice(1, 4).map((c) => c.trim());
    const isResponseHeader = !from.startsWith('body') && !/request header/.test(from) && !/^the path/.test(from);
    rows.push({
      names: ticked(names),
      type,
      from,
      headers: isResponseHeader ? ticked(from.split(' (')[0]!).filter((t) => HEADER_NAME.test(t)) : [],
    });
  }
  return rows;
}
