import http from 'node:http';
import https from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from './s3-settings.js';

/**
 * The SDK's own timeouts and retries, chosen beside the remote-files connector's: it resumes a broken read from
 * the byte it reached and detects stalled bodies itself, so the SDK only retries a request until its answer
 * starts (a listing, a check, opening a read) a few times, and gives up on a silent socket well after the
 * connector's stall timeout would have.
 */
export const defaultS3ClientPolicy: S3ClientPolicy = {
  maxAttempts: 3,
  connectionTimeoutMs: 10_000,
  socketTimeoutMs: 120_000,
  maxSockets: 8,
};

export interface S3ClientPolicy {
  /** Tries of one request, counting the first (the SDK's standard retry mode: 5xx, throttling, network errors). */
  maxAttempts: number;
  /** Opening the TCP (and TLS) connection. */
  connectionTimeoutMs: number;
  /** A socket with no traffic for this long is destroyed (the request fails, a body being read breaks off). */
  socketTimeoutMs: number;
  /** Connections kept per client; a run reads one object at a time. */
  maxSockets: number;
}

export function createS3Client(settings: S3Settings, policy: S3ClientPolicy = defaultS3ClientPolicy): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    credentials: {
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
      ...(settings.sessionToken ? { sessionToken: settings.sessionToken } : {}),
    },
    maxAttempts: policy.maxAttempts,
    requestHandler: {
      connectionTimeout: policy.connectionTimeoutMs,
      requestTimeout: policy.socketTimeoutMs,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: policy.maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: policy.maxSockets }),
    },
    // Newer SDKs add checksum headers and trailers that many S3-compatible stores refuse; S3 needs them only
    // where an operation requires them, and a ranged read has no whole-object checksum to check anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A bucket in another region is the user's to set (region or serviceUrl), said so by s3-failures.ts.
    followRegionRedirects: false,
  });
}
