import type { Kysely } from 'kysely';
import type { Database } from '../../../src/store/database.js';

/** One request exactly as it goes on the wire: the fuzzer owns every header, including Content-Type. */
export interface FuzzRequest {
  method: string;
  /** Path and query string, already percent-encoded as they should be sent. */
  url: string;
  headers: Record<string, string>;
  /** Bytes, so malformed UTF-8 and a missing Content-Type (fetch adds one for strings) can be sent. */
  body?: Uint8Array | undefined;
  /** Which mutations made this request, for the failure message. */
  mutation: string;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

export async function send(baseUrl: string, request: FuzzRequest): Promise<FuzzResponse> {
  const response = await fetch(`${baseUrl}${request.url}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** A readable excerpt of a body: huge or binary bodies must not drown the failure message. */
export function excerpt(text: string, max = 400): string {
  const printable = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return printable.length <= max ? printable : `${printable.slice(0, max)}... (${text.length} chars)`;
}

/** The request as a curl command, so a report reader can replay it by hand against a dev server. */
export function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => {
    // The token is long and useless outside the test run that issued it.
    const shown = name === 'authorization' && value.length > 40 ? `${value.slice(0, 20)}...` : value;
    return `-H '${name}: ${excerpt(shown, 120)}'`;
  });
  const body = request.body === undefined ? '' : ` --data-binary '${excerpt(new TextDecoder().decode(request.body))}'`;
  return `curl -X ${request.method} '${excerpt(request.url, 300)}' ${headers.join(' ')}${body}  [mutation: ${request.mutation}]`;
}

/** The stored data a rejected request must not change, in a stable order, one string per row. */
export async function snapshotStore(db: Kysely<Database>): Promise<string[]> {
  const [resources, sandboxes, orgs, clients] = await Promise.all([
    db.selectFrom('resources').selectAll().orderBy('kind').orderBy('id').execute(),
    db.selectFrom('sandboxes').selectAll().orderBy('id').execute(),
    db.selectFrom('orgs').selectAll().orderBy('id').execute(),
    db.selectFrom('api_clients').selectAll().orderBy('client_id').execute(),
  ]);
  return [
    // "table key<TAB>row": JSON escapes tabs, so the first tab always ends the key.
    ...resources.map((r) => `resources ${r.kind} ${r.id}\t${JSON.stringify(r)}`),
    ...sandboxes.map((s) => `sandboxes ${s.id}\t${JSON.stringify(s)}`),
    ...orgs.map((o) => `orgs ${o.id}\t${JSON.stringify(o)}`),
    ...clients.map((c) => `api_clients ${c.client_id}\t${JSON.stringify(c)}`),
  ];
}

/** Which rows a request added, removed or changed, named by table and key (not the whole row). */
export function diffSnapshots(before: string[], after: string[]): string | undefined {
  const key = (row: string) => row.slice(0, row.indexOf('\t'));
  const beforeRows = new Map(before.map((row) => [key(row), row]));
  const afterRows = new Map(after.map((row) => [key(row), row]));
  const changes: string[] = [];
  for (const [k, row] of afterRows) {
    const old = beforeRows.get(k);
    if (old === undefined) changes.push(`added ${k}`);
    else if (old !== row) changes.push(`changed ${k}`);
  }
  for (const k of beforeRows.keys()) if (!afterRows.has(k)) changes.push(`removed ${k}`);
  return changes.length === 0 ? undefined : changes.join('; ');
}
