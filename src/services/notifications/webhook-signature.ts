import crypto from 'node:crypto';

/** Unix seconds at which the attempt was signed; a receiver refuses old ones, so a captured request cannot be replayed later. */
export const timestampHeader = 'x-tributary-timestamp';
/** `sha256=` and the hex HMAC-SHA256, keyed with the webhook's secret, of `<timestamp>.<body>`. */
export const signatureHeader = 'x-tributary-signature';

/**
 * Signs one attempt. The timestamp is inside what is signed: a signature of the body alone would let anyone who
 * saw one request send it again with a fresh timestamp header.
 *
 * ```ts
 * const body = JSON.stringify({ event_id: '…', event: {} });
 * const timestamp = Math.floor(Date.now() / 1000);
 * const headers = { [timestampHeader]: String(timestamp), [signatureHeader]: signPayload('the secret', timestamp, body) };
 * ```
 */
export function signPayload(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}
