import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import type * as Package from '../../src/index.ts';
import { bundledUndiciHasBodyChunks } from '../helpers/runtime.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repo's node_modules, so each copy resolves @opentelemetry/* as an installed package would.
const copies = `${root}node_modules/.cache/openai-http-two-copies-${process.pid}`;

/** Builds the package from src into its own directory, as a second install of it would be. */
function buildCopy(name: string): string {
  const dir = `${copies}/${name}`;
  mkdirSync(dir, { recursive: true });
  copyFileSync(`${root}package.json`, `${dir}/package.json`);
  try {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`, '--outDir', `${dir}/dist`], { stdio: 'pipe' });
  } catch {
    // Type errors elsewhere still emit JavaScript; only a missing entry point is fatal.
  }
  if (!existsSync(`${dir}/dist/index.js`)) throw new Error(`building copy ${name} failed`);
  return `${dir}/dist/index.js`;
}

describe('two copies of the package in one process', () => {
  let sim: Simulator;
  let a: typeof Package;
  let b: typeof Package;
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  beforeAll(async () => {
    a = (await import(pathToFileURL(buildCopy('a')).href)) as typeof Package;
    b = (await import(pathToFileURL(buildCopy('b')).href)) as typeof Package;
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(tracerProvider);
    sim = await startSimulator();
  }, 60_000);
  afterAll(async () => {
    await sim.close();
    await tracerProvider.shutdown();
    rmSync(copies, { recursive: true, force: true });
  });

  const call = async (): Promise<void> => {
    const headers = { authorization: 'Bearer sk-two-copies', 'content-type': 'application/json' };
    await (await fetch(`${sim.url}/chat/completions`, { method: 'POST', headers, body: '{"model":"gpt-4o","messages":[]}' })).text();
    await new Promise<void>((resolve) =>
      http.request(`${sim.url}/embeddings`, { method: 'POST', headers }, (r) => r.resume().on('close', resolve)).end('{"model":"e","input":"x"}'),
    );
  };

  it('are really two copies', () => {
    expect(a.OpenAIHttpInstrumentation).not.toBe(b.OpenAIHttpInstrumentation);
  });

  it('emit each span once: the first copy enabled owns the channels, the second stays idle', async () => {
    const first = new a.OpenAIHttpInstrumentation({ endpoints: [sim.url] });
    const second = new b.OpenAIHttpInstrumentation({ endpoints: [sim.url] });
    await call();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.getFinishedSpans().map((s) => s.name).sort()).toEqual([bundledUndiciHasBodyChunks() ? 'chat gpt-4o' : 'chat', 'embeddings']);
    expect(first.inFlightRequests + second.inFlightRequests).toBe(0);
    first.disable();
    second.disable();
  });

  it('hand over: once the owner is disabled, enabling the other copy makes it the owner', async () => {
    exporter.reset();
    const first = new a.OpenAIHttpInstrumentation({ endpoints: [sim.url] });
    const second = new b.OpenAIHttpInstrumentation({ endpoints: [sim.url] });
    first.disable();
    second.enable();
    await call();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.getFinishedSpans()).toHaveLength(2);
    second.disable();
    await call();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.getFinishedSpans()).toHaveLength(2);
  });
});

