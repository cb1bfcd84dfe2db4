import { parseArgs } from 'node:util';
import type { SimulatorOptions } from './types.ts';

export const HELP = `Usage: npm run simulator -- [options]      (or: node simulator/main.ts [options])

An OpenAI-compatible API server with OpenAI's rate-limit headers, for demos and tests.
Every option can also come from the environment variable shown; a flag wins.

  --port <n>                   PORT                        port to listen on (default 8787; 0 = any free port)
  --host <addr>                HOST                        address to listen on (default 127.0.0.1;
                                                           in Docker use 0.0.0.0 so the published port reaches it)
  --mode <openai|azure>        SIM_MODE                    OpenAI paths under /v1, or Azure OpenAI deployment paths (default openai)
  --rpm <n>                    SIM_REQUESTS_PER_WINDOW     requests per window, per API key and model (default 60)
  --tpm <n>                    SIM_TOKENS_PER_WINDOW       tokens per window, per API key and model (default 150000)
  --window-ms <n>              SIM_WINDOW_MS               time for an empty bucket to refill (default 60000)
  --latency-ms <n>             SIM_LATENCY_MS              delay before each response's headers (default 0)
  --stream-chunk-delay-ms <n>  SIM_STREAM_CHUNK_DELAY_MS   delay between streamed chunks (default 0)
  --keep-alive-ms <n>          SIM_KEEP_ALIVE_MS           keep-alive comments before a stream's first event (default 0)
  --no-compression             SIM_COMPRESSION=off         send bodies uncompressed (default: compress per accept-encoding)
  --quota-exhausted-keys <k,k> SIM_QUOTA_EXHAUSTED_KEYS    API keys whose quota has run dry (429 insufficient_quota)
  --tls-key <file>             SIM_TLS_KEY                 PEM key: serve HTTPS with HTTP/2 (needs --tls-cert)
  --tls-cert <file>            SIM_TLS_CERT                PEM certificate
  -h, --help                                               show this help

Any API key is accepted; each key has its own rate-limit buckets.
POST /_simulator/quota {"apiKey":"k","exhausted":true} (or "remainingTokens": n) runs a key's quota dry at run time.`;

export interface CliConfig {
  help: boolean;
  options: Partial<SimulatorOptions>;
  /** Paths to read the TLS key and certificate from, when both are given. */
  tlsFiles: { key: string; cert: string } | undefined;
}

type Env = Record<string, string | undefined>;

/** Reads flags, then environment variables for what the flags leave out. Throws on a bad value. */
export function parseCli(argv: readonly string[], env: Env): CliConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      mode: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      'window-ms': { type: 'string' },
      'latency-ms': { type: 'string' },
      'stream-chunk-delay-ms': { type: 'string' },
      'keep-alive-ms': { type: 'string' },
      'no-compression': { type: 'boolean' },
      'quota-exhausted-keys': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const mode = values.mode ?? env['SIM_MODE'] ?? 'openai';
  if (mode !== 'openai' && mode !== 'azure') throw new Error(`--mode must be openai or azure, got ${mode}`);
  const options: Partial<SimulatorOptions> = {
    port: number('--port', values.port ?? env['PORT'] ?? '8787'),
    host: values.host ?? env['HOST'] ?? '127.0.0.1',
    mode,
    requestsPerWindow: optionalNumber('--rpm', values.rpm ?? env['SIM_REQUESTS_PER_WINDOW']),
    tokensPerWindow: optionalNumber('--tpm', values.tpm ?? env['SIM_TOKENS_PER_WINDOW']),
    windowMs: optionalNumber('--window-ms', values['window-ms'] ?? env['SIM_WINDOW_MS']),
    latencyMs: optionalNumber('--latency-ms', values['latency-ms'] ?? env['SIM_LATENCY_MS']),
    streamChunkDelayMs: optionalNumber('--stream-chunk-delay-ms', values['stream-chunk-delay-ms'] ?? env['SIM_STREAM_CHUNK_DELAY_MS']),
    keepAliveMs: optionalNumber('--keep-alive-ms', values['keep-alive-ms'] ?? env['SIM_KEEP_ALIVE_MS']),
    compression: values['no-compression'] === true ? false : onOff('SIM_COMPRESSION', env['SIM_COMPRESSION']),
    quotaExhaustedKeys: keyList(values['quota-exhausted-keys'] ?? env['SIM_QUOTA_EXHAUSTED_KEYS']),
  };
  const key = values['tls-key'] ?? env['SIM_TLS_KEY'];
  const cert = values['tls-cert'] ?? env['SIM_TLS_CERT'];
  if ((key === undefined) !== (cert === undefined)) throw new Error('--tls-key and --tls-cert go together');
  return { help: values.help === true, options, tlsFiles: key !== undefined && cert !== undefined ? { key, cert } : undefined };
}

function onOff(name: string, text: string | undefined): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  if (/^(on|true|1)$/i.test(text)) return true;
  if (/^(off|false|0)$/i.test(text)) return false;
  throw new Error(`${name} must be on or off, got '${text}'`);
}

function keyList(text: string | undefined): string[] | undefined {
  const keys = text?.split(',').map((key) => key.trim()).filter((key) => key !== '');
  return keys === undefined || keys.length === 0 ? undefined : keys;
}

function optionalNumber(name: string, text: string | undefined): number | undefined {
  return text === undefined || text === '' ? undefined : number(name, text);
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got '${text}'`);
  return value;
}
