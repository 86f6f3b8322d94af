import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type HttpClock } from '../rest/http-requester.js';
import type { ConnectionCheck, DescribedObject, ExplorableSource, ExploreEntry } from '../explorable-source.js';
import { changedFiles, localFilesState, readLocalFilesState } from '../local-files/file-changes.js';
import { readerFor, readFiles } from '../local-files/local-files-connector.js';
import { isSourceError, SourceConfigError, SourceTransientError, type ExtractRequest, type Extracted, type InputFile, type SourceConnector } from '../source-connector.js';
import { defaultFetchPolicy, fetchRemoteFile, newFetchCounts, type FetchPolicy, type StoreSession } from './remote-file-fetch.js';
import { baseName, defaultMaxListedEntries, listFolder, normalise, resolveRemoteFiles } from './remote-file-paths.js';
import type { OpenRemoteFileStore, RemoteFileStore } from './remote-file-store.js';

/** Explore's describe fetches a plain CSV or JSON-lines file whole up to this size, and only its head past it. */
export const defaultPreviewBytes = 4 * 1024 * 1024;

export interface RemoteFilesOptions {
  /** How the user knows the store, in messages: "SFTP", "S3". */
  label: string;
  open: OpenRemoteFileStore;
  fetchPolicy?: FetchPolicy;
  /** Waits between tries and their jitter, passed in so tests need not sleep for real. */
  clock?: Pick<HttpClock, 'sleep' | 'random'>;
  /** Entries one resolution or folder listing may walk through. */
  maxListedEntries?: number;
  previewBytes?: number;
}

/**
 * Files on a remote store (SFTP, S3) read as Local Files reads its own: `params.path` names a file, a folder or
 * a glob below the connection's root, in the formats of `readFiles()` (CSV/TSV, JSON, Parquet, gzip). Each file
 * is fetched into the run's staging folder first (streamed, resumed after a dropped or stalled read). Its state is
 * every listed file's size and modification time, so a flow without a delta column reads only new or changed
 * files, each once per change.
 */
export class RemoteFilesConnector implements SourceConnector, ExplorableSource {
  private readonly policy: FetchPolicy;
  private readonly clock: Pick<HttpClock, 'sleep' | 'random'>;
  private readonly maxListed: number;
  private readonly previewBytes: number;

  constructor(private readonly options: RemoteFilesOptions) {
    this.policy = options.fetchPolicy ?? defaultFetchPolicy;
    this.clock = options.clock ?? systemClock;
    this.maxListed = options.maxListedEntries ?? defaultMaxListedEntries;
    this.previewBytes = options.previewBytes ?? defaultPreviewBytes;
  }

  async extract(request: ExtractRequest): Promise<Extracted> {
    const requested = request.params.path;
    if (typeof requested !== 'string' || requested.trim() === '') throw new SourceConfigError('the source connection needs params.path: a file, folder or glob below the connection\'s root');
    const session = new RenewableSession(this.options.open, request.auth);
    const counts = newFetchCounts();
    // A run's stream metrics, as API reads show theirs: a fetched file counts as a page; the records are counted
    // when the engine reads the staged copies (the run's recordSummary), so they stay 0 here.
    const metrics = (listed: number, toRead: number, fetched: number) => [
      {
        stream: 'files',
        requests: counts.reads,
        pages: fetched,
        retries: counts.retries,
        rateLimited: 0,
        records: 0,
        bytes: counts.bytes,
        filesListed: listed,
        filesToRead: toRead,
        filesFetched: fetched,
        resumed: counts.resumed,
        stalls: counts.stalls,
      },
    ];
    try {
      const listed = await this.guard(async () => resolveRemoteFiles(await session.current(), requested, this.maxListed));
      // Marks are kept by remote name: the staged copies live only as long as the run.
      const marks = listed.map((file) => ({ path: file.name, name: file.name, bytes: file.bytes, modifiedAt: file.modifiedAt }));
      const state = localFilesState(marks);
      const wanted = new Set((request.changedOnly ? changedFiles(marks, readLocalFilesState(request.state)) : marks).map((f) => f.path));
      const toRead = listed.filter((file) => wanted.has(file.name));
      if (toRead.length === 0) return { relation: null, inputFiles: [], state, metrics: metrics(listed.length, 0, 0) };
      const folder = path.join(request.stagingDir, 'remote-files');
      fs.mkdirSync(folder, { recursive: true });
      const staged: InputFile[] = [];
      for (const [index, file] of toRead.entries()) {
        const target = path.join(folder, stagedName(index, file.name));
        await fetchRemoteFile(session, file, target, counts, this.options.label, this.policy, this.clock);
        // The engine checks a file did not change while it was read by its size and time: the copy carries the remote's.
        const time = new Date(file.modifiedAt);
        fs.utimesSync(target, time, time);
        staged.push({ path: target, name: file.name, bytes: file.bytes, modifiedAt: fs.statSync(target).mtimeMs });
        request.progress?.(metrics(listed.length, toRead.length, staged.length));
      }
      return { ...readFiles(staged, request.data, request.stagingDir), state, metrics: metrics(listed.length, toRead.length, staged.length) };
    } finally {
      await session.close();
    }
  }

  async test(auth: Record<string, unknown>): Promise<ConnectionCheck> {
    let store: RemoteFileStore | undefined;
    try {
      store = await this.guard(() => this.options.open(auth));
      await this.guard(() => (store as RemoteFileStore).check());
      return { status: 'ok', message: `connected to the ${this.options.label} store and opened its root folder` };
    } catch (error) {
      if (isSourceError(error)) return { status: 'failed', message: error.message };
      throw error;
    } finally {
      await store?.close();
    }
  }

  async list(auth: Record<string, unknown>, place: { objectType: 'root' | 'folder'; object: string }): Promise<ExploreEntry[]> {
    const folder = place.objectType === 'root' ? '' : normalise(place.object);
    return this.withStore(auth, async (store) => {
      if (folder !== '') {
        const entry = await store.stat(folder);
        if (entry?.type !== 'folder') throw new SourceConfigError(`"${place.object}" is not a folder under the connection's root`);
      }
      const entries = await listFolder(store, folder, undefined);
      return entries
        .filter((entry) => !baseName(entry.name).startsWith('.'))
        .map((entry): ExploreEntry => ({ type: entry.type, name: baseName(entry.name), path: entry.name, canPreview: entry.type === 'file', canFetchSchema: entry.type === 'file' }))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    });
  }

  async describe(
    auth: Record<string, unknown>,
    object: { objectType: 'file' | 'table'; object: string; fileType?: string | undefined; preview: boolean },
    workDir: string,
  ): Promise<DescribedObject> {
    if (object.objectType !== 'file') throw new SourceConfigError(`${this.options.label} connections hold files: explore them with objectType file`);
    const session = new RenewableSession(this.options.open, auth);
    try {
      const [file] = await this.guard(async () => resolveRemoteFiles(await session.current(), object.object, this.maxListed));
      if (!file) throw new SourceConfigError(`no files match "${object.object}" under the connection's root`);
      const format = object.fileType ?? formatOf(file.name);
      const target = path.join(workDir, stagedName(0, file.name));
      const plainText = format !== 'parquet' && !/\.(gz|zst)$/i.test(file.name);
      if (plainText && file.bytes > this.previewBytes) await this.guard(async () => fetchHead(await session.current(), file.name, this.previewBytes, target));
      // A preview shows no fetch counts: they go nowhere.
      else await fetchRemoteFile(session, file, target, newFetchCounts(), this.options.label, this.policy, this.clock);
      return { kind: 'relation', relation: readerFor([target], { format }) };
    } finally {
      await session.close();
    }
  }

  private async withStore<T>(auth: Record<string, unknown>, work: (store: RemoteFileStore) => Promise<T>): Promise<T> {
    const store = await this.guard(() => this.options.open(auth));
    try {
      return await this.guard(() => work(store));
    } finally {
      await store.close();
    }
  }

  /** A store's own unclassed failure (a reset, a timeout) is the store being unreachable for now. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isSourceError(error)) throw error;
      throw new SourceTransientError(`the ${this.options.label} store could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** One store session for a whole read, replaced by a fresh one when a fetch gives up on it. */
class RenewableSession implements StoreSession {
  private store: Promise<RemoteFileStore> | undefined;

  constructor(
    private readonly open: OpenRemoteFileStore,
    private readonly auth: Record<string, unknown>,
  ) {}

  current(): Promise<RemoteFileStore> {
    if (!this.store) {
      const opening = this.open(this.auth);
      // A failed opening is not kept: the next try opens again.
      opening.catch(() => {
        if (this.store === opening) this.store = undefined;
      });
      this.store = opening;
    }
    return this.store;
  }

  async renew(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    if (store) await store.then((s) => s.close(), () => undefined);
  }
}

/**
 * The first `maxBytes` of a text file, cut after its last whole line, for explore: enough to show the columns and
 * a preview of a file too large to fetch for that.
 */
async function fetchHead(store: RemoteFileStore, name: string, maxBytes: number, target: string): Promise<void> {
  const source = await store.read(name, 0);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      total += buffer.length;
      if (total >= maxBytes) break;
    }
  } finally {
    source.destroy();
  }
  const head = Buffer.concat(chunks).subarray(0, maxBytes);
  const end = head.lastIndexOf(0x0a);
  fs.writeFileSync(target, end >= 0 ? head.subarray(0, end + 1) : head);
}

/** A staged copy's name: its order, then the remote base name with anything DuckDB could take for a glob replaced. */
function stagedName(index: number, name: string): string {
  return `${String(index).padStart(5, '0')}-${baseName(name).replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

/** The format a file's extension says, for explore when the query names none. */
function formatOf(name: string): 'delimited' | 'json' | 'parquet' {
  const extension = path.extname(name.replace(/\.(gz|zst)$/i, '')).toLowerCase();
  if (extension === '.parquet') return 'parquet';
  if (extension === '.json' || extension === '.jsonl' || extension === '.ndjson') return 'json';
  return 'delimited';
}
