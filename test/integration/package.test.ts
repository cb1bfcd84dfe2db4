import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (code: string, type: 'module' | 'commonjs'): string =>
  execFileSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8' }).trim();

describe('the published package', () => {
  it('loads with import and with require, exposing the public API', () => {
    const probe = "typeof m.OpenAIHttpInstrumentation + ' ' + m.parseResetDuration('1m26.4s')";
    expect(run(`import * as m from 'opentelemetry-instrumentation-openai-http'; console.log(${probe})`, 'module')).toBe('function 86.4');
    expect(run(`const m = require('opentelemetry-instrumentation-openai-http'); console.log(${probe})`, 'commonjs')).toBe('function 86.4');
  });

  it('ships type declarations for both entry points', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { exports: Record<string, { types: string }> };
    for (const entry of ['.', './register']) expect(existsSync(`${root}/${pkg.exports[entry]!.types}`), entry).toBe(true);
    expect(readFileSync(`${root}/dist/index.d.ts`, 'utf8')).toContain('OpenAIHttpInstrumentation');
    for (const file of ['index', 'types', 'instrumentation', 'openai/duration']) {
      const code = readFileSync(`${root}/dist/${file}.d.ts`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(code, file).not.toMatch(/:\s*any\b|<any>|any\[\]/);
    }
  });
});
