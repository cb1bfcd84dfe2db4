import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadReport } from './load-app.ts';

const app = fileURLToPath(new URL('./load-app.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs load-app.ts in a child process of the running Node (with --expose-gc) and returns its report. */
export function runLoad(env: Record<string, string>, timeoutMs: number): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', app], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as LoadReport);
      } catch {
        reject(new Error(`load run failed (exit ${code}): ${stderr.slice(-2000)}`));
      }
    });
  });
}

/** One line for the test log and the closing note. */
export function describeReport(label: string, r: LoadReport): string {
  return (
    `${label}: ${r.requests} requests on Node ${r.node} in ${(r.durationMs / 1000).toFixed(1)} s (${r.requestsPerSecond}/s, ` +
    `${r.concurrency} concurrent), heap after GC ${r.heapStartMB} -> ${r.heapEndMB} MB [${r.heapMB.join(', ')}], ` +
    `${r.spansEnded} spans ended, ${r.inFlightAfter} in flight, ${r.failures} failures, OTLP ${r.otlp}`
  );
}
