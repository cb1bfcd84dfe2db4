import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HELP, parseCli } from '../../simulator/cli.ts';

describe('simulator command line', () => {
  it('listens on 127.0.0.1:8787 in openai mode by default, leaving the limits to the library defaults', () => {
    expect(parseCli([], {})).toEqual({
      help: false,
      tlsFiles: undefined,
      options: {
        port: 8787,
        host: '127.0.0.1',
        mode: 'openai',
        requestsPerWindow: undefined,
        tokensPerWindow: undefined,
        windowMs: undefined,
        latencyMs: undefined,
        streamChunkDelayMs: undefined,
        compression: undefined,
        quotaExhaustedKeys: undefined,
      },
    });
  });

  it('turns compression off with --no-compression or SIM_COMPRESSION=off, and reads dry quota keys', () => {
    expect(parseCli(['--no-compression'], {}).options.compression).toBe(false);
    expect(parseCli([], { SIM_COMPRESSION: 'off' }).options.compression).toBe(false);
    expect(parseCli([], { SIM_COMPRESSION: 'on' }).options.compression).toBe(true);
    expect(() => parseCli([], { SIM_COMPRESSION: 'maybe' })).toThrow(/SIM_COMPRESSION/);
    expect(parseCli(['--quota-exhausted-keys', 'sk-a, sk-b'], {}).options.quotaExhaustedKeys).toEqual(['sk-a', 'sk-b']);
    expect(parseCli([], { SIM_QUOTA_EXHAUSTED_KEYS: 'sk-c' }).options.quotaExhaustedKeys).toEqual(['sk-c']);
  });

  it('reads environment variables, and flags win over them', () => {
    const env = { PORT: '9000', HOST: '0.0.0.0', SIM_MODE: 'azure', SIM_REQUESTS_PER_WINDOW: '5', SIM_TOKENS_PER_WINDOW: '500', SIM_WINDOW_MS: '1000', SIM_LATENCY_MS: '30' };
    const { options } = parseCli(['--rpm', '7', '--stream-chunk-delay-ms', '10', '--port=0'], env);
    expect(options).toEqual({
      port: 0,
      host: '0.0.0.0',
      mode: 'azure',
      requestsPerWindow: 7,
      tokensPerWindow: 500,
      windowMs: 1000,
      latencyMs: 30,
      streamChunkDelayMs: 10,
      compression: undefined,
      quotaExhaustedKeys: undefined,
    });
  });

  it('rejects a bad number, an unknown mode, an unknown flag and half a TLS pair', () => {
    expect(() => parseCli(['--rpm', 'many'], {})).toThrow(/--rpm/);
    expect(() => parseCli(['--mode', 'gcp'], {})).toThrow(/--mode/);
    expect(() => parseCli(['--bogus'], {})).toThrow();
    expect(() => parseCli(['--tls-key', 'key.pem'], {})).toThrow(/--tls-cert/);
  });

  it('documents every flag, and that Docker needs 0.0.0.0', () => {
    expect(parseCli(['--help'], {}).help).toBe(true);
    for (const flag of ['--port', '--host', '--mode', '--rpm', '--tpm', '--window-ms', '--latency-ms', '--stream-chunk-delay-ms']) {
      expect(HELP).toContain(flag);
    }
    expect(HELP).toMatch(/Docker.*0\.0\.0\.0/);
  });

  it('prints the base URL and the OPENAI_BASE_URL hint, serves, and exits cleanly on SIGTERM', async () => {
    const main = fileURLToPath(new URL('../../simulator/main.ts', import.meta.url));
    const child = spawn(process.execPath, [main, '--port', '0', '--rpm', '3'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8');
    const hint = new Promise<string>((resolve) => {
      child.stdout.on('data', (text: string) => {
        output += text;
        const match = /OPENAI_BASE_URL=(\S+) OPENAI_API_KEY=sk-anything/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
    });
    const baseUrl = await hint;
    expect(output).toContain(`listening on ${baseUrl}`);
    const response = await fetch(`${baseUrl}/models`, { headers: { authorization: 'Bearer sk-anything' } });
    expect(response.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
