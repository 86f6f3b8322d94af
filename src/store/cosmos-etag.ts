import crypto from 'node:crypto';

/** AEP's etags are Cosmos DB etags: a quoted, GUID-like string that changes on every write. */
export function newEtag(): string {
  const hex = crypto.randomBytes(10).toString('hex');
  return `"${hex.slice(0, 8)}-0000-0200-0000-${hex.slice(8, 20)}"`;
}
