import { ApiProblem, problemOf } from './problem.js';
import { readToken } from './token.js';

/** One signed-in org. The token and the secret live in this page's memory only: never in a URL or in storage. */
export interface Session {
  org: string;
  clientId: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number | undefined;
  /** Kept to renew the token before it ends; absent for a pasted token, which cannot be renewed. */
  secret?: string;
  /** Why the last renewal failed, for the header to show. */
  renewalProblem?: string;
}

/** Client credentials through IMS's token endpoint, as AEP's own clients sign in. */
export async function exchangeSecret(clientId: string, secret: string): Promise<Session> {
  const response = await fetch('/ims/token/v3', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw problemOf(response.status, body, `The token endpoint answered ${response.status}.`);
  const { access_token: token, expires_in: lifetime } = body as { access_token: string; expires_in: number };
  const facts = readToken(token);
  if (!facts) throw new ApiProblem(response.status, 'The token endpoint answered a token the console cannot read.');
  return { org: facts.org, clientId, token, expiresAt: Date.now() + lifetime * 1000, secret };
}

/** A token pasted as it is (from `tributary credentials`, or another tool): it names its org and client itself. */
export function pastedToken(text: string): Session {
  const token = text.trim().replace(/^Bearer\s+/i, '');
  const facts = readToken(token);
  if (!facts) throw new ApiProblem(400, 'This is not an access token of this server: paste the token alone, without quotes.', 'token');
  if (facts.expiresAt !== undefined && facts.expiresAt <= Date.now()) throw new ApiProblem(401, 'This token has expired: sign in with the client id and secret, or paste a new one.', 'token');
  return { org: facts.org, clientId: facts.clientId, token, expiresAt: facts.expiresAt };
}

/** When to renew: at four fifths of the token's life, so that a slow exchange still ends before it does. */
export function renewalDelay(session: Session, now = Date.now()): number | undefined {
  if (session.secret === undefined || session.expiresAt === undefined) return undefined;
  const left = session.expiresAt - now;
  return Math.max(1_000, left - left / 5);
}
