import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { signedRequest } from './s3-signature.js';

/** An S3 call as the test server sees it (path-style: `/bucket/key`). */
export interface S3Call {
  method: string;
  operation: 'ListBuckets' | 'ListObjectsV2' | 'ListObjects' | 'HeadBucket' | 'GetObject' | 'HeadObject' | 'Other';
  bucket: string | undefined;
  key: string | undefined;
  range: string | undefined;
  accessKeyId: string | undefined;
}

/** A key pair the server accepts; `denies` answers 403 AccessDenied for the calls it returns true for. */
export interface S3Key {
  secret: string;
  sessionToken?: string;
  denies?: (call: S3Call) => boolean;
}

/**
 * A fault injected into GetObject bodies of one key: after `afterBytes` bytes of the body the connection is
 * dropped, or goes silent for `stallMs` (then dropped). `times` answers are hurt (Infinity: every one).
 */
export interface BodyFault {
  key: string;
  kind: 'drop' | 'stall';
  afterBytes: number;
  times: number;
  stallMs?: number;
}

export const testAccessKey = 'TRIBUTARYTESTKEY';
export const testSecretKey = 'test-secret-0123456789';

/**
 * An S3-compatible server for tests: s3rver (in a child process, see s3rver-process.mjs) behind a front that
 * acts as S3's gatekeeper and as a fault proxy. The front checks each request's Signature V4 against its own
 * keys (s3rver checks none), answers S3's InvalidAccessKeyId, SignatureDoesNotMatch, InvalidToken and
 * AccessDenied errors, and can drop or stall object bodies part-way. The code under test talks to `endpoint`
 * with the real AWS SDK; the test seeds objects straight into s3rver.
 */
export class S3TestServer {
  readonly keys = new Map<string, S3Key>([[testAccessKey, { secret: testSecretKey }]]);
  readonly faults: BodyFault[] = [];
  /** Buckets outside us-east-1: a request signed for another region is refused as S3 refuses it. */
  readonly bucketRegions = new Map<string, string>();
  /** Every call that passed the gate, in order. */
  readonly calls: S3Call[] = [];
  faultsFired = 0;
  /** Answer GetObject whole whatever its Range, as a store without range support would. */
  ignoreRange = false;
  private readonly seeder: S3Client;
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly front: http.Server,
    readonly directory: string,
    private readonly upstreamPort: number,
  ) {
    this.seeder = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${upstreamPort}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    front.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<S3TestServer> {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3-source-test-'));
    const child = fork(path.resolve('test/support/s3rver-process.mjs'), [directory], { execArgv: ['--openssl-legacy-provider', '--no-warnings'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const upstreamPort = await new Promise<number>((resolve, reject) => {
      child.once('message', (message) => resolve((message as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`s3rver exited with ${String(code)}`)));
    });
    const front = http.createServer();
    const server = new S3TestServer(child, front, directory, upstreamPort);
    front.on('request', (request, response) => server.handle(request, response));
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** Where the code under test connects (the connection's serviceUrl). */
  get endpoint(): string {
    const address = this.front.address() as import('node:net').AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async createBucket(name: string): Promise<void> {
    await this.seeder.send(new CreateBucketCommand({ Bucket: name }));
  }

  async put(bucket: string, key: string, body: string | Buffer): Promise<void> {
    await this.seeder.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  /** Writes a large object from a file (s3rver takes the body as a stream). */
  async putFile(bucket: string, key: string, file: string): Promise<void> {
    await this.seeder.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.createReadStream(file), ContentLength: fs.statSync(file).size }));
  }

  async close(): Promise<void> {
    this.seeder.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
    this.child.kill();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const call = callOf(request);
    const refusal = this.refusal(request, call);
    if (refusal) {
      response.writeHead(refusal.status, { 'content-type': 'application/xml' });
      response.end(request.method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message><RequestId>${crypto.randomUUID()}</RequestId></Error>`);
      return;
    }
    this.calls.push(call);
    const fault = call.operation === 'GetObject' ? this.faults.find((f) => f.key === call.key && f.times > 0) : undefined;
    if (fault) {
      fault.times -= 1;
      this.faultsFired += 1;
    }
    // s3rver takes unsigned requests as its own account's; the front has already checked who is asking.
    const headers = { ...request.headers };
    delete headers.authorization;
    if (this.ignoreRange) delete headers.range;
    const upstream = http.request({ host: '127.0.0.1', port: this.upstreamPort, method: request.method, path: request.url, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!fault) {
        answer.pipe(response);
        return;
      }
      let sent = 0;
      answer.on('data', (chunk: Buffer) => {
        if (sent >= fault.afterBytes) return;
        const room = fault.afterBytes - sent;
        const part = chunk.subarray(0, room);
        sent += part.length;
        if (sent < fault.afterBytes) {
          response.write(part);
          return;
        }
        answer.destroy();
        const socket = response.socket;
        // The bytes are sent before the connection ends (a reset at once could discard them unread).
        response.write(part, () => {
          if (fault.kind === 'drop') {
            socket?.end();
            return;
          }
          // Silent, then gone: the reader must notice the silence itself.
          const timer = setTimeout(() => socket?.destroy(), fault.stallMs ?? 60_000);
          socket?.once('close', () => clearTimeout(timer));
        });
      });
      answer.on('end', () => sent < fault.afterBytes && response.end());
    });
    upstream.on('error', () => response.socket?.destroy());
    request.pipe(upstream);
  }

  /** S3's answer when the request's credentials or the key's permissions do not allow it. */
  private refusal(request: http.IncomingMessage, call: S3Call): { status: number; code: string; message: string } | undefined {
    const signed = signedRequest(request);
    if (!signed) return { status: 403, code: 'AccessDenied', message: 'Anonymous access is not allowed' };
    const key = this.keys.get(signed.accessKeyId);
    if (!key) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
    if (!signed.signedWith(key.secret)) return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
    if (key.sessionToken !== undefined && request.headers['x-amz-security-token'] !== key.sessionToken) {
      return { status: 400, code: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' };
    }
    const region = call.bucket === undefined ? undefined : (this.bucketRegions.get(call.bucket) ?? 'us-east-1');
    if (region !== undefined && signed.region !== region) {
      return { status: 400, code: 'AuthorizationHeaderMalformed', message: `The authorization header is malformed; the region '${signed.region}' is wrong; expecting '${region}'` };
    }
    if (key.denies?.(call)) return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
    return undefined;
  }
}

function callOf(request: http.IncomingMessage): S3Call {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const [bucketPart, ...keyParts] = url.pathname.slice(1).split('/');
  const bucket = bucketPart ? decodeURIComponent(bucketPart) : undefined;
  const key = keyParts.length > 0 && keyParts.join('/') !== '' ? decodeURIComponent(keyParts.join('/')) : undefined;
  const method = request.method ?? 'GET';
  let operation: S3Call['operation'] = 'Other';
  if (bucket === undefined && method === 'GET') operation = 'ListBuckets';
  else if (key === undefined && method === 'GET') operation = url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  else if (key === undefined && method === 'HEAD') operation = 'HeadBucket';
  else if (method === 'GET') operation = 'GetObject';
  else if (method === 'HEAD') operation = 'HeadObject';
  const range = request.headers.range;
  return { method, operation, bucket, key, range, accessKeyId: signedRequest(request)?.accessKeyId };
}
