import { SourceConfigError, SourceProviderError } from '../source-connector.js';
import type { S3Settings } from './s3-settings.js';

/** What was being done when S3 failed: named in the message, so the user knows which permission or object. */
export interface S3Attempt {
  operation: 'ListBuckets' | 'ListObjectsV2' | 'GetObject';
  bucket?: string | undefined;
  key?: string | undefined;
}

/**
 * A failure that may pass (a timeout, a reset, a 5xx or throttling the SDK's own retries did not outlast). It is a
 * plain error on purpose: the remote-files connector resumes reads that fail so, with a fresh client.
 */
export class S3RequestError extends Error {
  constructor(message: string, readonly status: number | undefined) {
    super(message);
    this.name = 'S3RequestError';
  }
}

/** S3 error codes that mean the user must change the connection, and what to change (never echoing a secret). */
const credentialCodes: Record<string, (settings: S3Settings) => string> = {
  InvalidAccessKeyId: (s) => `S3 does not know the access key "${s.accessKeyId}"; check s3AccessKey`,
  SignatureDoesNotMatch: (s) => `S3 refused the request signature: s3SecretKey is not the secret of access key "${s.accessKeyId}"; update s3SecretKey`,
  InvalidToken: () => 's3SessionToken is malformed or does not belong to s3AccessKey; give the session token issued with these keys',
  ExpiredToken: () => 's3SessionToken has expired; PATCH the connection with a new session token (and its keys)',
  TokenRefreshRequired: () => 's3SessionToken must be refreshed; PATCH the connection with a new session token (and its keys)',
  InvalidSecurity: () => 'S3 refused the credentials; check s3AccessKey, s3SecretKey and s3SessionToken',
  AuthorizationHeaderMalformed: (s) => `S3 says the bucket is not in region "${s.region}"; set the connection's region (or serviceUrl) to the bucket's region`,
  PermanentRedirect: (s) => `the bucket is not served at ${where(s)}; set region or serviceUrl to the bucket's region, e.g. https://s3.<region>.amazonaws.com`,
  AllAccessDisabled: () => 'all access to this bucket has been disabled by its owner',
};

/** Network failures that mean the endpoint is wrong, not down. */
const unknownHostCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'ERR_INVALID_URL']);

/** The error to throw for a failed S3 call: a `SourceConfigError` naming what to fix, or an `S3RequestError`. */
export function s3Failure(error: unknown, attempt: S3Attempt, settings: S3Settings): Error {
  if (error instanceof SourceConfigError || error instanceof SourceProviderError) return error;
  const code = errorCode(error);
  const status = httpStatus(error);
  const credentials = code === undefined ? undefined : credentialCodes[code];
  if (credentials) return new SourceConfigError(credentials(settings), { method: attempt.operation, ...(status ? { status } : {}) });
  if (code === 'NoSuchBucket' || (status === 404 && attempt.operation === 'ListObjectsV2')) {
    return new SourceConfigError(`bucket "${attempt.bucket ?? ''}" does not exist at ${where(settings)}; check bucketName (or the first segment of the path when the connection names no bucket)`, { method: attempt.operation, status: 404 });
  }
  if (code === 'NoSuchKey' || (status === 404 && attempt.operation === 'GetObject')) {
    return new SourceConfigError(`object "${attempt.key ?? ''}" is not in bucket "${attempt.bucket ?? ''}" (it may have been deleted after it was listed); check params.path`, { method: attempt.operation, status: 404 });
  }
  if (code === 'AccessDenied' || code === 'AccountProblem' || status === 403) {
    return new SourceConfigError(`access key "${settings.accessKeyId}" may not ${permissionFor(attempt)}; grant it in the bucket or IAM policy, or check folderPath`, { method: attempt.operation, status: 403 });
  }
  if (code === 'InvalidRange' || status === 416) {
    return new S3RequestError(`object "${attempt.key ?? ''}" is shorter than when it was listed (it changed while it was read)`, 416);
  }
  if (code !== undefined && unknownHostCodes.has(code)) {
    return new SourceConfigError(`the host of ${where(settings)} cannot be found (${code}); check serviceUrl${settings.endpoint ? '' : ' and region'}`, { method: attempt.operation });
  }
  if (code === 'ECONNREFUSED') return new S3RequestError(`nothing answers at ${where(settings)} (connection refused); check serviceUrl, or whether the store is up`, undefined);
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new SourceProviderError(`${attempt.operation} on ${target(attempt)} answered ${status}${code ? ` ${code}` : ''}`, { method: attempt.operation, status });
  }
  return new S3RequestError(`${attempt.operation} on ${target(attempt)} at ${where(settings)} failed: ${code ?? 'error'}${status ? ` (${status})` : ''}${detail(error)}`, status);
}

/** The endpoint as the user set it (never with credentials: serviceUrl may not carry any). */
export function where(settings: S3Settings): string {
  return settings.endpoint ?? `Amazon S3 (region ${settings.region})`;
}

function permissionFor(attempt: S3Attempt): string {
  switch (attempt.operation) {
    case 'ListBuckets':
      return 'list the account\'s buckets (s3:ListAllMyBuckets); set bucketName to read one bucket instead';
    case 'ListObjectsV2':
      return `list bucket "${attempt.bucket ?? ''}"${attempt.key ? ` under "${attempt.key}"` : ''} (s3:ListBucket on arn:aws:s3:::${attempt.bucket ?? ''})`;
    case 'GetObject':
      return `read "${attempt.key ?? ''}" in bucket "${attempt.bucket ?? ''}" (s3:GetObject on arn:aws:s3:::${attempt.bucket ?? ''}/${attempt.key ?? ''})`;
  }
}

function target(attempt: S3Attempt): string {
  if (attempt.bucket === undefined) return 'the account';
  return attempt.key ? `"${attempt.bucket}/${attempt.key}"` : `bucket "${attempt.bucket}"`;
}

/** S3's error code (`Code` of the XML body, the SDK's `name`), or a Node network error's `code`. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { Code?: unknown; code?: unknown; name?: unknown; $metadata?: unknown; cause?: unknown };
  if (typeof candidate.Code === 'string') return candidate.Code;
  if (typeof candidate.code === 'string') return candidate.code;
  if (candidate.cause !== undefined && candidate.cause !== error) {
    const inner = errorCode(candidate.cause);
    if (inner !== undefined) return inner;
  }
  return typeof candidate.name === 'string' && !['Error', 'Unknown', 'S3ServiceException'].includes(candidate.name) ? candidate.name : undefined;
}

function httpStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/** The network error's own words (a timeout's, a reset's); S3's messages add nothing the code does not say. */
function detail(error: unknown): string {
  if (!(error instanceof Error) || httpStatus(error) !== undefined) return '';
  return `: ${error.message}`;
}
