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

describe('the package as npm shows it', () => {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as Record<string, unknown>;
  const readme = readFileSync(`${root}/README.md`, 'utf8');
  const packed = (): string[] =>
    (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: root, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);

  it('links its repository, home page and issue tracker, all on one GitHub repository', () => {
    const { repository, homepage, bugs } = pkg as { repository: { url: string }; homepage: string; bugs: { url: string } };
    const repo = repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repo).toMatch(/^https:\/\/github\.com\/[\w.-]+\/opentelemetry-instrumentation-openai-http$/);
    expect(homepage).toBe(`${repo}#readme`);
    expect(bugs.url).toBe(`${repo}/issues`);
  });

  it("has only absolute links or anchors in the README, since the tarball ships no other docs", () => {
    const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((t) => !/^(https:\/\/|#)/.test(t))).toEqual([]);
  });

  it('shows how to print spans and metrics to the console', () => {
    expect(readme).toContain('OTEL_TRACES_EXPORTER=console OTEL_METRICS_EXPORTER=console');
  });

  it('ships no source-map comment without its map', () => {
    const files = packed();
    expect(files).toContain('dist/register.js');
    for (const file of files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
      const match = /sourceMappingURL=(\S+)/.exec(readFileSync(`${root}/${file}`, 'utf8'));
      if (match) expect(files, file).toContain(`${file.slice(0, file.lastIndexOf('/') + 1)}${match[1]}`);
    }
  });

  it('is publint clean, warnings and suggestions included', () => {
    const out = execFileSync(`${root}/node_modules/.bin/publint`, ['--strict', '--level', 'suggestion'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('All good!');
  });

  // The esm-only profile leaves out one warning: TypeScript's `node16` mode flags a CommonJS file
  // that imports an ES module; Node >= 22.12 require()s it, and so do TypeScript's `node20` and
  // `nodenext` modes (TypeScript >= 5.8). Every other resolution (node10, node16 from ESM,
  // bundler) must find the types of every entry point.
  it('has types for every entry point under every resolution arethetypeswrong checks', () => {
    const out = execFileSync(`${root}/node_modules/.bin/attw`, ['--pack', '.', '--profile', 'esm-only', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    const report = JSON.parse(out) as { analysis: { problems: unknown[]; entrypoints: Record<string, unknown> } };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './package.json', './register']);
    expect(report.analysis.problems.filter((p) => (p as { kind: string }).kind !== 'CJSResolvesToESM')).toEqual([]);
  }, 60_000);
});
