import { problemOf } from './problem.js';
import type { Session } from './session.js';

/** Where a request goes: the signed-in org and the sandbox chosen in the header. */
export interface Scope {
  session: Session;
  sandbox: string;
}

/** The gateway headers AEP's clients send: the token travels here, never in a URL. */
export function gatewayHeaders(scope: Scope): Record<string, string> {
  return {
    authorization: `Bearer ${scope.session.token}`,
    'x-api-key': scope.session.clientId,
    'x-gw-ims-org-id': scope.session.org,
    'x-sandbox-name': scope.sandbox,
  };
}

/**
 * One request to the platform's public API, with the gateway headers (and any others given, such as If-Match).
 * `accept` names another answer form: the Schema Registry answers a lookup only in the XED form it is asked for.
 */
export async function request<T>(
  scope: Scope,
  method: string,
  path: string,
  options: { body?: unknown; signal?: AbortSignal; accept?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, ...gatewayHeaders(scope), accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // Not JSON: quoted as it is in the problem.
  }
  if (!response.ok) throw problemOf(response.status, body, `${method} ${path} answered ${response.status}.`);
  return body as T;
}

/** Flow Service, whose list links (`_links.next.href`) are relative to it, as AEP's are. */
export const flowservice = '/data/foundation/flowservice';

/** Every item of a Flow Service list, following `_links.next` (bounded: a list is never read past 50 pages). */
export async function listAll<T>(scope: Scope, path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = `${flowservice}${path}`;
  for (let page = 0; next !== undefined && page < 50; page += 1) {
    const body: { items?: T[]; _links?: { next?: { href?: string } } } = await request(scope, 'GET', next, signal ? { signal } : {});
    items.push(...(body.items ?? []));
    const href = body._links?.next?.href;
    next = href === undefined ? undefined : href.startsWith('/data/') ? href : `${flowservice}${href}`;
  }
  return items;
}
