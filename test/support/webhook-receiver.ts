import http from 'node:http';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as it arrived, for checking the signature. */
  body: string;
  /** The status it was answered with. */
  answered: number;
}

/** A webhook endpoint on 127.0.0.1 that records what it is sent and answers 200, or the statuses it is told to. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** The statuses of the next requests to `path`, in order; 200 once they are used up. */
  answerNext(path: string, ...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const scripts = new Map<string, number[]>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answered = scripts.get(request.url ?? '/')?.shift() ?? 200;
      // Recorded before the answer, so a sender that has its answer finds the request here.
      received.push({ path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      response.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerNext: (path, ...statuses) => scripts.set(path, [...(scripts.get(path) ?? []), ...statuses]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
