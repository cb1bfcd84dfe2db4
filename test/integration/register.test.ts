import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/index.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = fileURLToPath(new URL('../fixtures/apps/chat-once.mjs', import.meta.url));

interface Run {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the app as a user would: `node --import <package>/register app.mjs`. */
function runApp(env: Record<string, string>, signalAfterCall?: NodeJS.Signals): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'opentelemetry-instrumentation-openai-http/register', app], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_LOGS_EXPORTER: 'none', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (signalAfterCall && stdout.includes('called')) child.kill(signalAfterCall);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}

describe('--import opentelemetry-instrumentation-openai-http/register', () => {
  let sim: Simulator;
  let receiver: OtlpReceiver;
  let env: Record<string, string>;
  beforeEach(async () => {
    sim = await startSimulator();
    receiver = await startOtlpReceiver();
    env = {
      OPENAI_BASE_URL: sim.url,
      OPENAI_API_KEY: 'sk-register-secret',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'register-test',
    };
  });
  afterEach(async () => {
    await receiver.close();
    await sim.close();
  });

  it('exports the span over OTLP/HTTP when the app ends by itself', async () => {
    const run = await runApp(env);
    expect(run.exitCode, run.stderr).toBe(0);
    const spans = receiver.spans();
    expect(spans).toHaveLength(1);
    const [{ span, attributes, resource, scope }] = spans as [(typeof spans)[number]];
    expect(scope).toBe('opentelemetry-instrumentation-openai-http');
    expect(resource['service.name']).toBe('register-test');
    expect(span.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(attributes['openai.request.id']).toMatch(/^req_/);
    expect(attributes['openai.ratelimit.requests.remaining']).toBe(59);
    expect(receiver.requests.map((r) => r.body.toString()).join('')).not.toContain('sk-register-secret');
  });

  it('flushes on SIGTERM and then exits as the signal would have', async () => {
    const run = await runApp({ ...env, APP_WAIT: '1' }, 'SIGTERM');
    expect(run.signal).toBe('SIGTERM');
    expect(receiver.spans()).toHaveLength(1);
  });

  it("leaves exiting to the app's own SIGTERM handler", async () => {
    const run = await runApp({ ...env, APP_WAIT: '1', APP_SIGNAL_HANDLER: '1' }, 'SIGTERM');
    expect(run.stdout).toContain('app handled SIGTERM');
    expect(run.exitCode).toBe(0);
    expect(receiver.spans()).toHaveLength(1);
  });

  it('does nothing with OTEL_SDK_DISABLED=true', async () => {
    const run = await runApp({ ...env, OTEL_SDK_DISABLED: 'true' });
    expect(run.exitCode).toBe(0);
    expect(receiver.requests).toHaveLength(0);
  });
});
