/** What the console reads of an access token: whose it is and when it ends. Nothing here checks a signature. */
export interface TokenFacts {
  org: string;
  clientId: string;
  /** Epoch milliseconds; undefined when the token does not say. */
  expiresAt: number | undefined;
}

export function readToken(token: string): TokenFacts | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/'))) as { org?: unknown; sub?: unknown; client_id?: unknown; exp?: unknown };
    const clientId = typeof json.client_id === 'string' ? json.client_id : typeof json.sub === 'string' ? json.sub : undefined;
    if (typeof json.org !== 'string' || clientId === undefined) return undefined;
    return { org: json.org, clientId, expiresAt: typeof json.exp === 'number' ? json.exp * 1000 : undefined };
  } catch {
    return undefined;
  }
}
