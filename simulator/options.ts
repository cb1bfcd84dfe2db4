import type { SimulatorOptions } from './types.ts';

export const DEFAULT_OPTIONS: Readonly<SimulatorOptions> = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  mode: 'openai',
  requestsPerWindow: 60,
  tokensPerWindow: 150_000,
  windowMs: 60_000,
  latencyMs: 0,
  streamChunkDelayMs: 0,
  keepAliveMs: 0,
  compression: true,
  organization: 'org-simulator',
  project: 'proj_simulator',
  apiVersion: '2020-10-01',
});

/**
 * Fills in defaults and rejects values that would make the buckets meaningless
 * (a zero window divides by zero; a negative limit never refills).
 * An explicit `project: undefined` keeps the header out, so only a missing key gets the default.
 */
export function resolveOptions(partial: Partial<SimulatorOptions> = {}): SimulatorOptions {
  const options: SimulatorOptions = { ...DEFAULT_OPTIONS };
  for (const [name, value] of Object.entries(partial)) {
    if (value !== undefined || name === 'project') Object.assign(options, { [name]: value });
  }
  if (options.mode !== 'openai' && options.mode !== 'azure') {
    throw new RangeError(`mode must be 'openai' or 'azure', got ${String(options.mode)}`);
  }
  requirePositive('windowMs', options.windowMs);
  requirePositive('requestsPerWindow', options.requestsPerWindow);
  requirePositive('tokensPerWindow', options.tokensPerWindow);
  requireNonNegative('latencyMs', options.latencyMs);
  requireNonNegative('streamChunkDelayMs', options.streamChunkDelayMs);
  requireNonNegative('keepAliveMs', options.keepAliveMs);
  requireNonNegative('port', options.port);
  for (const [model, limits] of Object.entries(options.limitsByModel ?? {})) {
    if (limits.requestsPerWindow !== undefined) requirePositive(`limitsByModel.${model}.requestsPerWindow`, limits.requestsPerWindow);
    if (limits.tokensPerWindow !== undefined) requirePositive(`limitsByModel.${model}.tokensPerWindow`, limits.tokensPerWindow);
  }
  return options;
}

function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
}

function requireNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a number >= 0, got ${value}`);
}
