/** One request exactly as it goes on the wire: the fuzzer owns every header, including Content-Type. */
export interface FuzzRequest {
  method: string;
  /** Path and query string, already percent-encoded as they should be sent. */
  url: string;
  headers: Record<string, string>;
  /** Bytes, so malformed UTF-8 and a missing Content-Type (fetch adds one for strings) can be sent. */
  body?: Uint8Array<ArrayBuffer> | undefined;
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

export function utf8(text: string): Uint8Array<ArrayBuffer> {
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

/** How deep a JSON body nests (brackets outside strings), so deep-nesting failures can be told apart. */
export function jsonDepth(body: Uint8Array | undefined): number {
  if (body === undefined) return 0;
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, (depth += 1));
    else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return max;
}
