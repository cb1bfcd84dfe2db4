import { readBody } from './body.ts';
import { badRequest } from './errors.ts';
import type { SimRequest } from './internal-types.ts';
import { parseQuotaUpdate, type QuotaBook } from './quota.ts';
import { sendError, sendJson, type Exchange } from './reply.ts';

/**
 * `POST /_simulator/quota {"apiKey","exhausted"?,"remainingTokens"?}`: sets a key's credit for
 * every client of this simulator and answers the key's state. No API key needed: it is a test hook.
 */
export function handleQuotaControl(req: SimRequest, exchange: Exchange, quota: QuotaBook): void {
  readBody(req, (text) => {
    const update = text === undefined ? undefined : parseQuotaUpdate(text);
    if (update === undefined) {
      return sendError(exchange, badRequest('Expected {"apiKey": string, "exhausted"?: boolean, "remainingTokens"?: number >= 0}.'));
    }
    quota.update(update);
    const remaining = quota.remaining(update.apiKey);
    sendJson(exchange, 200, JSON.stringify({ apiKey: update.apiKey, exhausted: remaining <= 0, remainingTokens: Number.isFinite(remaining) ? remaining : null }));
  });
}
