/**
 * Narrowing for parsed YAML / JSON (compose file, Collector config, Grafana files): each
 * accessor checks the shape it expects and throws with the path when the file differs, so a
 * test fails with "services.collector.ports: expected a list" rather than a TypeError.
 */
export type Tree = Record<string, unknown>;

export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function tree(value: unknown, where: string): Tree {
  if (!isTree(value)) throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  return value;
}

export function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}

export function text(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

/** A list of strings (YAML flow or block list). */
export function texts(value: unknown, where: string): string[] {
  return list(value, where).map((item, i) => text(item, `${where}[${i}]`));
}

/** Every value in a tree, depth first, with its path: for "find every `expr`" searches. */
export function* walk(value: unknown, path = ''): Generator<{ path: string; key: string; value: unknown }> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      yield { path: `${path}[${i}]`, key: String(i), value: item };
      yield* walk(item, `${path}[${i}]`);
    }
  } else if (isTree(value)) {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      yield { path: at, key, value: item };
      yield* walk(item, at);
    }
  }
}
