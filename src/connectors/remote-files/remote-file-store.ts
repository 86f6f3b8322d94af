import type { Readable } from 'node:stream';

/**
 * A place that holds files and is reached over the network (an SFTP server, an S3 bucket). Everything the
 * remote-file sources share - which files a `params.path` names, which of them changed since the last run, fetching
 * them into the run's staging folder with resumed retries, the formats, explore and test - lives in
 * `RemoteFilesConnector`; a store only answers these few calls.
 *
 * How a store plugs in:
 * 1. Implement `RemoteFileStore` over the protocol's client, and an `OpenRemoteFileStore` that connects with the
 *    base connection's decrypted auth params. Names are always relative to the connection's root (an SFTP
 *    `folderPath`, an S3 bucket and its prefix), '/'-separated, without a leading '/'; '' is the root itself.
 * 2. Class the failures: throw `SourceConfigError` for what the user must fix (refused credentials, unknown host,
 *    a missing bucket or folder, a file the user may not read), naming the setting to change and never the secret.
 *    Anything else (a dropped connection, a reset) may be thrown as is: the connector retries reads with a fresh
 *    store, and reports listings and checks that fail so as the source being unreachable.
 * 3. Construct the connector: `new RemoteFilesConnector({ label: 'SFTP', open: openSftpStore })`, and register it
 *    for the connection spec id (src/engine/connectors-by-spec.ts).
 *
 * @example
 * const store = await openStore(auth);
 * try {
 *   const page = await store.list('settlements', undefined);   // { entries: [{ type: 'file', name: 'settlements/a.csv', ... }], next: undefined }
 *   const bytes = await store.read('settlements/a.csv', 1024);   // the file from byte 1024 on, as a stream
 * } finally {
 *   await store.close();
 * }
 */
export interface RemoteFileStore {
  /**
   * One page of what lies directly in `folder` (files and folders, not deeper): `next` is passed back for the
   * next page and is absent on the last. A missing folder answers an empty page or throws `SourceConfigError`.
   */
  list(folder: string, next: string | undefined): Promise<RemoteListing>;
  /** What `name` is: a file (with its size and time), a folder, or undefined when nothing is there. */
  stat(name: string): Promise<RemoteEntry | undefined>;
  /**
   * The file's bytes from `offset` to its end, as a stream that applies back-pressure. A read that breaks off
   * (the stream errors, or ends early) is resumed by the connector from the byte it reached, on a fresh store.
   */
  read(name: string, offset: number): Promise<Readable>;
  /** One cheap round trip proving the credentials and the root work; throws `SourceConfigError` naming what to fix. */
  check(): Promise<void>;
  /** Ends the session; never throws. */
  close(): Promise<void>;
}

export interface RemoteListing {
  entries: RemoteEntry[];
  next?: string | undefined;
}

export interface RemoteEntry {
  type: 'file' | 'folder';
  /** Relative to the connection's root, '/'-separated, e.g. `settlements/2026-12-01.csv`. */
  name: string;
  /** Folders: 0. */
  bytes: number;
  /** Modification time, epoch ms (folders: 0 when the store has none). */
  modifiedAt: number;
}

/** Connects with the base connection's decrypted auth params; throws `SourceConfigError` for settings the user must fix. */
export type OpenRemoteFileStore = (auth: Record<string, unknown>) => Promise<RemoteFileStore>;
