/**
 * What the Flow Service's `GET /connections/{id}/test` and `/explore` ask of a source that is neither an API
 * (those have `RestConnector`) nor Local Files: databases and remote file stores (SFTP, S3). A connector that
 * implements it next to `SourceConnector` is tested and explored through it, with the base connection's
 * decrypted credentials, and the route shapes the answer.
 *
 * @example
 * const check = await source.test(auth);           // { status: 'failed', message: 'the server refused user "app": …' }
 * const entries = await source.list(auth, { objectType: 'root', object: '' });
 * const table = await source.describe(auth, { objectType: 'table', object: 'public.orders', preview: true }, dir);
 */
export interface ExplorableSource {
  /**
   * One cheap round trip that proves the credentials and the place work. A refusal is an answer, not an error:
   * `failed` with a message that names what to fix (never the secret).
   */
  test(auth: Record<string, unknown>): Promise<ConnectionCheck>;
  /** What lies at a place: the folders and files of a folder, or a database's tables and views (objectType root). */
  list(auth: Record<string, unknown>, place: { objectType: 'root' | 'folder'; object: string }): Promise<ExploreEntry[]>;
  /**
   * One file or table: its columns, and with `preview` up to 100 rows. File stores fetch (part of) the file into
   * `workDir` and return a DuckDB relation over it, which the route describes and previews; databases answer the
   * columns and rows themselves. A missing object is a `SourceConfigError` naming it.
   */
  describe(
    auth: Record<string, unknown>,
    object: { objectType: 'file' | 'table'; object: string; fileType?: string | undefined; preview: boolean },
    workDir: string,
  ): Promise<DescribedObject>;
}

export interface ConnectionCheck {
  status: 'ok' | 'failed';
  /** What was checked, or what is wrong and what to change. */
  message: string;
}

export interface ExploreEntry {
  type: 'folder' | 'file' | 'table';
  name: string;
  /** What a source connection's params take to read it: a path below the connection's root, or a table name. */
  path: string;
  canPreview: boolean;
  canFetchSchema: boolean;
}

/** A column's type in XDM terms: a JSON Schema type, and a format for dates and times. */
export interface XdmColumnType {
  type: string;
  format?: string;
}

export type DescribedObject =
  | { kind: 'columns'; columns: { name: string; xdm: XdmColumnType }[]; rows?: Record<string, unknown>[] }
  | { kind: 'relation'; relation: string };

export function isExplorableSource(value: unknown): value is ExplorableSource {
  const candidate = value as Partial<ExplorableSource> | null;
  return typeof candidate?.test === 'function' && typeof candidate.list === 'function' && typeof candidate.describe === 'function';
}
