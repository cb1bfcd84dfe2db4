import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatorOptions } from './types.ts';

/**
 * The API key, which the simulator uses only to pick rate-limit buckets (any key works):
 * `Authorization: Bearer <key>`, or in azure mode also Azure's `api-key` header.
 */
export function readApiKey(headers: IncomingHttpHeaders, mode: SimulatorOptions['mode']): string | undefined {
  if (mode === 'azure') {
    const apiKey = headers['api-key'];
    if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  }
  const authorization = headers.authorization;
  if (authorization === undefined || !/^bearer /i.test(authorization)) return undefined;
  const key = authorization.slice(7).trim();
  return key === '' ? undefined : key;
}
