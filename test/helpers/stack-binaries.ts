import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ROOT } from './stack-files.ts';

/** Where `npm run stack:build` (scripts/stack-build.sh) puts the programs it builds. */
export const STACK_BIN_DIR = process.env['STACK_BIN_DIR'] ?? path.join(ROOT, '.stack', 'bin');

export const STACK_PROGRAMS = ['otelcol-openai-http', 'jaeger', 'prometheus', 'promtool', 'alertmanager', 'amtool'] as const;
export type StackProgram = (typeof STACK_PROGRAMS)[number];

const HOW_TO_BUILD = 'run `npm run stack:build` (needs Go >= 1.26; see deploy/README.md)';

/** The built program's path, or undefined if it is not built. */
export function builtProgram(name: StackProgram): string | undefined {
  const candidate = path.join(STACK_BIN_DIR, name);
  try {
    accessSync(candidate, constants.X_OK);
    return candidate;
  } catch {
    return undefined;
  }
}

export interface StackRequirement {
  /** Every program, when all are built. */
  readonly programs: Readonly<Record<StackProgram, string>> | undefined;
  /** Not built, outside CI: skip. In CI a missing program fails the tests instead. */
  readonly skip: boolean;
  readonly missing: string | undefined;
}

let announced = false;

/**
 * The stack tests need all the programs. Locally, without them, they skip with one line on
 * how to build them; in CI (`CI` set) `.ci/run` builds them, so missing ones are a failure.
 */
export function requireStack(options: { readonly announce?: boolean } = {}): StackRequirement {
  const found = STACK_PROGRAMS.map((name) => [name, builtProgram(name)] as const);
  const absent = found.filter(([, p]) => p === undefined).map(([name]) => name);
  if (absent.length === 0) return { programs: Object.fromEntries(found) as Record<StackProgram, string>, skip: false, missing: undefined };
  const missing = `${absent.join(', ')} not built in ${STACK_BIN_DIR}: ${HOW_TO_BUILD}`;
  const skip = !process.env['CI'];
  // Test files run in separate processes: only one of them says it, so `npm test` prints one line.
  if (skip && !announced && options.announce !== false) {
    announced = true;
    console.warn(`SKIPPING the stack tests (Collector, Jaeger, Prometheus 3, Alertmanager for real): ${missing}`);
  }
  return { programs: undefined, skip, missing };
}

/** In CI a missing program is a failure, not a skip. */
export function stackPrograms(requirement: StackRequirement): Readonly<Record<StackProgram, string>> {
  if (requirement.programs === undefined) throw new Error(requirement.missing);
  return requirement.programs;
}
