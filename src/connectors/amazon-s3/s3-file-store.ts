import { Readable } from 'node:stream';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { SourceConfigError, SourceProviderError } from '../source-connector.js';
import type { OpenRemoteFileStore, RemoteEntry, RemoteFileStore, RemoteListing } from '../remote-files/remote-file-store.js';
import { createS3Client, defaultS3ClientPolicy, type S3ClientPolicy } from './s3-client.js';
import { s3Failure, type S3Attempt } from './s3-failures.js';
import { s3Settings, type S3Settings } from './s3-settings.js';

/** How an S3 store lists: keys per ListObjectsV2 page (S3's own maximum), and empty pages followed before giving up. */
export const defaultS3Listing: S3ListingPolicy = { pageSize: 1000, maxEmptyPages: 20 };

export interface S3ListingPolicy {
  pageSize: number;
  /** S3 may answer a truncated page with no keys; this many in a row are followed within one `list` call, then it stops. */
  maxEmptyPages: number;
}

/** Opens S3 stores with these client and listing settings (the defaults in production; tests shorten them). */
export function s3StoreOpener(client: S3ClientPolicy = defaultS3ClientPolicy, listing: S3ListingPolicy = defaultS3Listing): OpenRemoteFileStore {
  return async (auth) => {
    const settings = s3Settings(auth);
    return new S3FileStore(createS3Client(settings, client), settings, listing);
  };
}

/** A place in the connection: the account's bucket list, or a bucket and a key (or key prefix) in it. */
type Location = { bucket: undefined; key: '' } | { bucket: string; key: string };

/**
 * An S3 bucket (or every bucket the keys may list) as a `RemoteFileStore`. Folders are the key prefixes up to a
 * '/', as S3's console shows them; names are relative to the connection's root (`bucketName`/`folderPath`).
 * Everything is read with ListObjectsV2 and GetObject, the two permissions AEP's S3 policy grants.
 */
export class S3FileStore implements RemoteFileStore {
  constructor(
    private readonly client: S3Client,
    private readonly settings: S3Settings,
    private readonly listing: S3ListingPolicy = defaultS3Listing,
  ) {}

  async list(folder: string, next: string | undefined): Promise<RemoteListing> {
    const place = this.locate(folder);
    if (place.bucket === undefined) return this.listBuckets(next);
    const prefix = place.key === '' ? '' : `${place.key}/`;
    let token = next;
    for (let empty = 0; ; empty += 1) {
      const page = await this.listObjects({ Bucket: place.bucket, Prefix: prefix, Delimiter: '/', MaxKeys: this.listing.pageSize, ContinuationToken: token }, place);
      const entries: RemoteEntry[] = [
        ...(page.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [{ type: 'folder' as const, name: this.nameOf(place.bucket, p.Prefix.replace(/\/+$/, '')), bytes: 0, modifiedAt: 0 }] : [])),
        // A key ending in '/' is a folder marker (the console's "create folder"), not a file.
        ...(page.Contents ?? []).flatMap((o) => (o.Key && o.Key !== prefix && !o.Key.endsWith('/') ? [this.fileEntry(place.bucket, o.Key, o.Size, o.LastModified)] : [])),
      ];
      token = truncatedToken(page, place.bucket);
      if (entries.length > 0 || token === undefined) return { entries, next: token };
      if (empty + 1 >= this.listing.maxEmptyPages) {
        throw new SourceProviderError(`listing bucket "${place.bucket}" under "${prefix}" gave ${this.listing.maxEmptyPages} empty pages in a row; S3 kept saying there is more`);
      }
    }
  }

  async stat(name: string): Promise<RemoteEntry | undefined> {
    const place = this.locate(name);
    if (place.bucket === undefined) return { type: 'folder', name: '', bytes: 0, modifiedAt: 0 };
    if (place.key === '') return (await this.bucketExists(place)) ? { type: 'folder', name, bytes: 0, modifiedAt: 0 } : undefined;
    // A listing rather than HeadObject: its refusals carry S3's error code (a HEAD's have no body to tell a bad
    // secret from a missing permission), and a key sorts before every longer key it is a prefix of.
    const asFile = await this.listObjects({ Bucket: place.bucket, Prefix: place.key, MaxKeys: 1 }, place);
    const first = asFile.Contents?.[0];
    if (first?.Key === place.key) return this.fileEntry(place.bucket, place.key, first.Size, first.LastModified);
    const asFolder = await this.listObjects({ Bucket: place.bucket, Prefix: `${place.key}/`, MaxKeys: 1 }, place);
    return (asFolder.KeyCount ?? asFolder.Contents?.length ?? 0) > 0 ? { type: 'folder', name, bytes: 0, modifiedAt: 0 } : undefined;
  }

  async read(name: string, offset: number): Promise<Readable> {
    const place = this.locate(name);
    if (place.bucket === undefined || place.key === '') throw new SourceConfigError(`"${name}" is a bucket or folder, not an object`);
    const attempt: S3Attempt = { operation: 'GetObject', bucket: place.bucket, key: place.key };
    let answer;
    try {
      answer = await this.client.send(new GetObjectCommand({ Bucket: place.bucket, Key: place.key, ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}) }));
    } catch (error) {
      throw s3Failure(error, attempt, this.settings);
    }
    const body = answer.Body;
    if (!(body instanceof Readable)) throw new SourceProviderError(`GetObject on "${place.bucket}/${place.key}" answered without a body stream`);
    // A store that ignores Range sends the whole object again: appended to the part already fetched, it would
    // double rows, so it is refused rather than resumed.
    if (offset > 0 && !new RegExp(`^bytes ${offset}-`).test(answer.ContentRange ?? '')) {
      body.destroy();
      throw new SourceProviderError(`the store ignored the Range of a resumed read of "${place.bucket}/${place.key}" (asked from byte ${offset}, got "${answer.ContentRange ?? 'the whole object'}"); it cannot be resumed`);
    }
    return body;
  }

  async check(): Promise<void> {
    const place = this.locate('');
    if (place.bucket === undefined) {
      await this.listBuckets(undefined);
      return;
    }
    const prefix = place.key === '' ? '' : `${place.key}/`;
    const page = await this.listObjects({ Bucket: place.bucket, Prefix: prefix, MaxKeys: 1 }, place);
    if (prefix !== '' && (page.KeyCount ?? page.Contents?.length ?? 0) === 0) {
      throw new SourceConfigError(`folderPath "${place.key}" holds no objects in bucket "${place.bucket}"; check folderPath`);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private async listBuckets(next: string | undefined): Promise<RemoteListing> {
    try {
      const answer = await this.client.send(new ListBucketsCommand({ MaxBuckets: this.listing.pageSize, ...(next ? { ContinuationToken: next } : {}) }));
      const entries = (answer.Buckets ?? []).flatMap((b) => (b.Name ? [{ type: 'folder' as const, name: b.Name, bytes: 0, modifiedAt: b.CreationDate?.getTime() ?? 0 }] : []));
      return { entries, next: answer.ContinuationToken || undefined };
    } catch (error) {
      throw s3Failure(error, { operation: 'ListBuckets' }, this.settings);
    }
  }

  private async listObjects(input: ConstructorParameters<typeof ListObjectsV2Command>[0], place: Location): Promise<ListObjectsV2CommandOutput> {
    try {
      return await this.client.send(new ListObjectsV2Command(input));
    } catch (error) {
      throw s3Failure(error, { operation: 'ListObjectsV2', bucket: place.bucket, key: place.key }, this.settings);
    }
  }

  /** Whether a bucket named at the account's root exists (a missing one is simply not there). */
  private async bucketExists(place: Location): Promise<boolean> {
    try {
      await this.listObjects({ Bucket: place.bucket, MaxKeys: 0 }, place);
      return true;
    } catch (error) {
      if (error instanceof SourceConfigError && error.details.status === 404 && this.settings.root === '') return false;
      throw error;
    }
  }

  private locate(name: string): Location {
    const full = [this.settings.root, name.replace(/^\/+|\/+$/g, '')].filter((part) => part !== '').join('/');
    if (full === '') return { bucket: undefined, key: '' };
    const slash = full.indexOf('/');
    return slash < 0 ? { bucket: full, key: '' } : { bucket: full.slice(0, slash), key: full.slice(slash + 1) };
  }

  /** A bucket's key as a name relative to the connection's root. */
  private nameOf(bucket: string, key: string): string {
    const full = key === '' ? bucket : `${bucket}/${key}`;
    return this.settings.root === '' ? full : full.slice(this.settings.root.length + 1);
  }

  private fileEntry(bucket: string, key: string, size: number | undefined, modified: Date | undefined): RemoteEntry {
    return { type: 'file', name: this.nameOf(bucket, key), bytes: size ?? 0, modifiedAt: modified?.getTime() ?? 0 };
  }
}

function truncatedToken(page: ListObjectsV2CommandOutput, bucket: string): string | undefined {
  if (!page.IsTruncated) return undefined;
  if (!page.NextContinuationToken) throw new SourceProviderError(`listing bucket "${bucket}" said there is more but gave no continuation token`);
  return page.NextContinuationToken;
}
