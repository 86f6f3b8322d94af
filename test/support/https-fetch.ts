import https from 'node:https';

/**
 * `fetch` for a server whose certificate only the test trusts: Node's global fetch cannot be given a CA, so this
 * speaks HTTPS through node:https with the test's certificate as the one authority, and answers like fetch.
 */
export function fetchOverHttps(url: string, init: { method: string; headers: Record<string, string>; body?: string }, ca: Buffer): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: init.method, headers: init.headers, ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
        }
        const status = response.statusCode ?? 0;
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers }));
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    if (init.body !== undefined) request.write(init.body);
    request.end();
  });
}
