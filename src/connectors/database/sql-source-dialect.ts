/**
 * What one database product (PostgreSQL, MySQL/MariaDB …) supplies so that `DatabaseSource` can read it. The core
 * owns everything the products share: AEP's connection string (`connection-string.ts`), the test/list/describe
 * answers, the keyset paging on (delta column, primary key) and the incremental state. A dialect owns its driver:
 * it opens sessions, reads its catalog, maps its types to XDM and to the DuckDB type the staged column is read
 * with, writes one page of rows into a staging file as they arrive, and words its driver's failures.
 *
 * To add a product: implement `SqlSourceDialect<YourSession>` in `src/connectors/database/<product>/`, build
 * `new DatabaseSource(yourDialect, options)`, and register it under its connection spec id in the engine's
 * connector registry. Every statement a dialect runs for a read happens inside `snapshot`, so all pages of a run
 * see one consistent state of the database.
 *
 * @example
 * const source = new DatabaseSource(postgresDialect, { pageRows: 100_000 });
 * const check = await source.test({ connectionString: 'Server=127.0.0.1;Database=shop;UID=app;Password=…' });
 */
import type { XdmColumnType } from '../explorable-source.js';
import type { DatabaseAddress } from './connection-string.js';

export interface SqlSourceDialect<Session> {
  /** The product's name in messages ("PostgreSQL"). */
  readonly product: string;
  /** Opens a session; a refusal is thrown already classified (see `classify`). */
  open(address: DatabaseAddress): Promise<Session>;
  /** Ends the session; never throws. */
  close(session: Session): Promise<void>;
  /** One cheap round trip; answers what it found (the server's version) for the test message. */
  ping(session: Session): Promise<string>;
  /** The tables and views the signed-in user can see, system schemas left out. */
  listTables(session: Session): Promise<ListedTable[]>;
  /**
   * A table's or view's columns (in table order) and primary key; undefined when there is no such table. A name
   * without a schema is looked up where the product looks by default (PostgreSQL's search path, MySQL's database).
   */
  describeTable(session: Session, table: TableName): Promise<TableDescription | undefined>;
  /** Up to `limit` rows as JSON values (XDM-shaped: instants as ISO strings, binary as base64); limit 0 proves SELECT is granted. */
  preview(session: Session, table: TableDescription, limit: number): Promise<Record<string, unknown>[]>;
  /** Runs `work` in one read-only transaction that sees one snapshot of the database (REPEATABLE READ). */
  snapshot<T>(session: Session, work: () => Promise<T>): Promise<T>;
  /** Writes the rows of `page`, in order, into `file` as they arrive, without holding them in memory. */
  stagePage(session: Session, page: PageQuery, file: string): Promise<StagedPage>;
  /** A DuckDB relation over staged files, each column read with its `duckType` (no sniffing), in table order. */
  stagedReader(files: string[], columns: SourceColumn[]): string;
  /**
   * The error a driver failure means, as a `SourceConfigError` (the user must act: credentials, host, table,
   * grant) or a `SourceTransientError` (may pass: a dropped connection, a timeout), with a message that names
   * what to fix and never holds the password or a stack.
   */
  classify(error: unknown, context: FailureContext): Error;
}

/** A table as `schema.table`; `schema` undefined when the user named the table alone. */
export interface TableName {
  schema: string | undefined;
  name: string;
}

export interface ListedTable {
  schema: string;
  name: string;
  kind: 'table' | 'view';
}

export interface TableDescription {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: SourceColumn[];
  /** The primary key's column names in key order; empty when the table has none (views never do). */
  primaryKey: string[];
  /**
   * The ordered (b-tree) indexes' key columns, each list in index order. An incremental read pages by its keyset
   * only when an index leads with the keyset's columns, so that each page is an index range scan; without one,
   * a page would scan and sort the table again, and the read is one ordered pass instead. Undefined: unknown.
   */
  indexes?: string[][] | undefined;
}

export interface SourceColumn {
  name: string;
  /** The type as the database names it (`numeric(12,2)`, `timestamp without time zone` …). */
  sourceType: string;
  xdm: XdmColumnType;
  /** The DuckDB type the staged column is read as. */
  duckType: string;
  /**
   * How the column can bound an incremental read in SQL: an instant (a zoned timestamp), a local timestamp (taken
   * as UTC), a date; undefined when its values are not times (the engine then filters the rows itself).
   */
  time?: 'instant' | 'local' | 'date' | undefined;
}

/**
 * One keyset page: the rows after `after` (or after `deltaAfter`), at most at `deltaUpTo`, ordered by `order`,
 * `limit` of them (all when undefined).
 */
export interface PageQuery {
  table: TableDescription;
  /** The keyset columns: the delta column, then the primary key's columns; empty for a full read (in no order). */
  order: SourceColumn[];
  /** The key values (as `StagedPage.last` gave them) the page starts after; undefined for the first page. */
  after?: string[] | undefined;
  /** The delta column and its window: rows with delta in (after, upTo], ISO-8601 instants. */
  delta?: { column: SourceColumn; after?: string | undefined; upTo: string } | undefined;
  limit?: number | undefined;
}

export interface StagedPage {
  rows: number;
  bytes: number;
  /** The last row's key values (one text per `order` column); undefined when the page is empty or unordered. */
  last?: string[] | undefined;
  /**
   * When the dialect staged an unordered page in several files side by side (parallel copies of one snapshot),
   * each of them, `file` among them; `rows` and `bytes` are their sums.
   */
  parts?: { file: string; bytes: number }[] | undefined;
}

/** What was being done when a driver failed, for the message. */
export interface FailureContext {
  /** `connect`, `list`, `describe`, `read`. */
  doing: 'connect' | 'list' | 'describe' | 'read';
  address?: DatabaseAddress | undefined;
  /** The table being read or described, as the user named it. */
  table?: string | undefined;
}
