import { SourceConfigError } from '../source-connector.js';

/**
 * An Amazon S3 base connection's auth params (AEP's "Access Key" auth spec, plus Tributary's `region`), checked
 * once and typed. The connection's root is `bucketName` and `folderPath` joined: with no bucket, the root is the
 * account's bucket list and a path's first segment names the bucket, as AEP's explore shows it.
 */
export interface S3Settings {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  region: string;
  /** `serviceUrl` when set; otherwise the SDK's endpoint for the region. */
  endpoint: string | undefined;
  /** S3-compatible stores (any `serviceUrl` that is not an amazonaws.com host) are addressed path-style. */
  forcePathStyle: boolean;
  /** '/'-separated, no leading or trailing '/': `bucket/folder/sub`, `bucket`, or '' (every bucket). */
  root: string;
}

/** Used when neither `region` nor an amazonaws.com `serviceUrl` says otherwise: AWS's own default region. */
export const defaultRegion = 'us-east-1';

export function s3Settings(auth: Record<string, unknown>): S3Settings {
  const accessKeyId = text(auth, 's3AccessKey');
  const secretAccessKey = text(auth, 's3SecretKey');
  if (accessKeyId === undefined || secretAccessKey === undefined) throw new SourceConfigError('the connection needs s3AccessKey and s3SecretKey');
  const serviceUrl = text(auth, 'serviceUrl');
  const endpoint = serviceUrl === undefined ? undefined : checkedUrl(serviceUrl);
  const host = endpoint === undefined ? undefined : new URL(endpoint).hostname;
  const amazon = host === undefined || /(^|\.)amazonaws\.com(\.cn)?$/.test(host);
  const region = text(auth, 'region');
  // Without serviceUrl the region becomes part of the endpoint's host name: only a host label may stand there.
  if (region !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(region)) throw new SourceConfigError(`region "${region}" is not a region name, e.g. eu-west-1`);
  const bucket = text(auth, 'bucketName');
  if (bucket !== undefined) checkBucketName(bucket);
  const folder = (text(auth, 'folderPath') ?? '').replace(/^\/+|\/+$/g, '');
  if (folder.split('/').includes('..')) throw new SourceConfigError(`folderPath "${folder}" may not contain ".."`);
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: text(auth, 's3SessionToken'),
    region: region ?? (host ? regionOfHost(host) : undefined) ?? defaultRegion,
    endpoint,
    forcePathStyle: !amazon,
    root: [bucket, folder].filter((part) => part !== undefined && part !== '').join('/'),
  };
}

/** `s3.eu-west-1.amazonaws.com`, `s3-eu-west-1.amazonaws.com`, `bucket.s3.eu-west-1.amazonaws.com` → eu-west-1. */
function regionOfHost(host: string): string | undefined {
  const match = /(?:^|\.)s3[.-]([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(\.cn)?$/.exec(host);
  return match?.[1];
}

function checkedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SourceConfigError(`serviceUrl "${value}" is not a URL; give the endpoint, e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SourceConfigError(`serviceUrl "${value}" must start with https:// or http://`);
  if (url.username !== '' || url.password !== '') throw new SourceConfigError('serviceUrl may not carry a user name or password; give them as s3AccessKey and s3SecretKey');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** S3's naming rules, so a typo is named here rather than as a failed request. */
function checkBucketName(name: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    throw new SourceConfigError(`bucketName "${name}" is not a valid bucket name: 3 to 63 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit`);
  }
}

function text(auth: Record<string, unknown>, key: string): string | undefined {
  const value = auth[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
