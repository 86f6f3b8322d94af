import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a request's AWS Signature Version 4 says: who signed, and whether the signature is right for a secret. */
export interface SignedRequest {
  accessKeyId: string;
  /** The region the request was signed for (its credential scope). */
  region: string;
  /** Recomputes the signature with this secret and compares. */
  signedWith(secret: string): boolean;
}

/**
 * Reads the `Authorization: AWS4-HMAC-SHA256 ...` header of a request (s3rver accepts any V4 signature, so the
 * S3 test server checks them itself, written from AWS's description of the algorithm). Undefined when the
 * request carries no such header.
 */
export function signedRequest(request: IncomingMessage): SignedRequest | undefined {
  const header = request.headers.authorization;
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(header ?? '');
  if (!match) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  return {
    accessKeyId,
    region,
    signedWith(secret) {
      const url = new URL(request.url ?? '/', 'http://placeholder');
      const canonical = [
        request.method ?? 'GET',
        url.pathname,
        canonicalQuery(url.search),
        ...signedHeaders.split(';').map((name) => `${name}:${headerValue(request, name)}`),
        '',
        signedHeaders,
        headerValue(request, 'x-amz-content-sha256') || 'UNSIGNED-PAYLOAD',
      ].join('\n');
      const scope = `${date}/${region}/${service}/aws4_request`;
      const toSign = ['AWS4-HMAC-SHA256', headerValue(request, 'x-amz-date'), scope, sha256(canonical)].join('\n');
      let key: Buffer = hmac(`AWS4${secret}`, date);
      for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
      const expected = hmac(key, toSign).toString('hex');
      return expected.length === signature.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    },
  };
}

function canonicalQuery(search: string): string {
  if (search === '' || search === '?') return '';
  return search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.indexOf('=');
      const [key, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
      return [encode(decodeURIComponent(key)), encode(decodeURIComponent(value.replace(/\+/g, '%20')))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return crypto.createHmac('sha256', key).update(text).digest();
}
