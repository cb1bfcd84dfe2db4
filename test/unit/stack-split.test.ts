import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACK_TESTS } from '../../vitest.config.ts';

/**
 * `npm test` must run without the Go-built stack: a test file that asks for one of its programs
 * belongs to `npm run test:stack` (under test/stack/, or named `*.stack.test.ts`).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const NEEDS_BUILT_PROGRAM = /\b(requireStack|requireTool|startPrometheus|builtProgram|stackPrograms)\(/;

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')));
}

const inStack = (file: string): boolean => STACK_TESTS.some((glob) => path.matchesGlob(file, glob));

describe('the split between npm test and npm run test:stack', () => {
  it('puts every test file that needs a program stack:build builds in the stack project', () => {
    const misplaced = testFiles('test').filter((file) => !inStack(file) && NEEDS_BUILT_PROGRAM.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(misplaced, 'move these under test/stack/ or rename them *.stack.test.ts').toEqual([]);
  });

  it('follows the documented rule: test/stack/ or *.stack.test.ts', () => {
    expect(inStack('test/stack/new.test.ts')).toBe(true);
    expect(inStack('test/metrics/new-e2e.stack.test.ts')).toBe(true);
    expect(inStack('test/metrics/new.test.ts')).toBe(false);
  });
});
