import path from 'node:path';
import type { ConnectionCheck, DescribedObject, ExplorableSource, ExploreEntry } from '../explorable-source.js';
import { isSourceError, SourceConfigError, SourceProviderError, type ExtractRequest, type Extracted, type InputFile, type SourceConnector } from '../source-connector.js';
import { parseConnectionString, type DatabaseAddress } from './connection-string.js';
import { readDatabaseSourceState, type DatabaseSourceState } from './database-source-state.js';
import type { FailureContext, PageQuery, SourceColumn, SqlSourceDialect, TableDescription } from './sql-source-dialect.js';
import { parseTableName, tablePath } from './table-name.js';

export interface DatabaseSourceOptions {
  /** Rows per keyset page (TRIBUTARY_DB_PAGE_ROWS); each page is one query, all in one snapshot. */
  pageRows?: number | undefined;
}

/** A page big enough that the round trips cost nothing next to the rows, small enough that a page's query stays cheap. */
export const defaultPageRows = 100_000;

/** Rows an explore preview shows. */
const previewRows = 100;

/**
 * A column the read adds that marks every row it staged as never landed before: the keyset already starts after
 * the last landed row, so a row sharing the last run's newest delta value (a tie across runs) must still land,
 * though the engine's own filter keeps only rows after the watermark.
 */
const unseenColumn = '__tributary_unseen';

/**
 * A database read through its dialect: connection test, explore (tables, typed columns, preview) and runs that
 * stage a table's rows in one snapshot. With a time-typed delta column the window is pushed into the SQL, read in
 * keyset pages on (delta, primary key), and the last landed row's keyset values are the state the next run starts
 * after; without one the whole table is read (a snapshot of it). See `readPlan`.
 */
export class DatabaseSource<Session> implements SourceConnector, ExplorableSource {
  private readonly pageRows: number;

  constructor(private readonly dialect: SqlSourceDialect<Session>, options: DatabaseSourceOptions = {}) {
    const rows = options.pageRows ?? defaultPageRows;
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`the database page size must be a whole number of rows from 1, not ${String(rows)}`);
    this.pageRows = rows;
  }

  async test(auth: Record<string, unknown>): Promise<ConnectionCheck> {
    try {
      const address = parseConnectionString(auth.connectionString);
      const version = await this.withSession(address, { doing: 'connect', address }, (session) => this.dialect.ping(session));
      return { status: 'ok', message: `connected to ${this.dialect.product} ${version} at ${where(address)} as user "${address.user}"` };
    } catch (error) {
      if (isSourceError(error)) return { status: 'failed', message: error.message };
      throw error;
    }
  }

  async list(auth: Record<string, unknown>, place: { objectType: 'root' | 'folder'; object: string }): Promise<ExploreEntry[]> {
    const address = parseConnectionString(auth.connectionString);
    const tables = await this.withSession(address, { doing: 'list', address }, (session) => this.dialect.listTables(session));
    // A folder is a schema: its tables alone.
    const shown = place.objectType === 'folder' && place.object !== '' ? tables.filter((t) => t.schema === place.object) : tables;
    return shown.map((t) => {
      const name = tablePath(t);
      return { type: 'table', name, path: name, canPreview: true, canFetchSchema: true };
    });
  }

  async describe(auth: Record<string, unknown>, object: { objectType: 'file' | 'table'; object: string; preview: boolean }, _workDir: string): Promise<DescribedObject> {
    if (object.objectType !== 'table') throw new SourceConfigError(`a ${this.dialect.product} connection holds tables: explore objectType=table with object=schema.table`);
    const address = parseConnectionString(auth.connectionString);
    const context: FailureContext = { doing: 'describe', address, table: object.object };
    return this.withSession(address, context, async (session) => {
      const table = await this.findTable(session, address, object.object);
      // Zero rows still proves the user may read the table: a missing grant shows here, not in the first run.
      const rows = await this.dialect.preview(session, table, object.preview ? previewRows : 0);
      return { kind: 'columns', columns: table.columns.map((c) => ({ name: c.name, xdm: c.xdm })), ...(object.preview ? { rows } : {}) };
    });
  }

  async extract(request: ExtractRequest): Promise<Extracted> {
    const address = parseConnectionString(request.auth.connectionString);
    const named = request.params.tableName;
    parseTableName(named);
    const context: FailureContext = { doing: 'read', address, table: String(named) };
    return this.withSession(address, context, (session) => this.dialect.snapshot(session, () => this.read(session, address, String(named), request)));
  }

  /** Stages the run's rows page by page and says how the engine reads them. */
  private async read(session: Session, address: DatabaseAddress, named: string, request: ExtractRequest): Promise<Extracted> {
    const table = await this.findTable(session, address, named);
    const plan = readPlan(table, request, this.pageRows);
    // The run's stream shape (as API sources report theirs): a request is one page's query; a database read does not retry.
    const metrics = { stream: tablePath(table), requests: 0, pages: 0, retries: 0, rateLimited: 0, records: 0, bytes: 0, pageRows: plan.limit ?? null, pushedDown: plan.delta !== undefined, keyset: plan.order.map((c) => c.name) };
    const files: InputFile[] = [];
    const altered = new Map<string, { what: string; values: number }>();
    let after = plan.after;
    // Bounded by the snapshot's rows: every page but the last is full, and each starts after the one before.
    for (;;) {
      const file = path.join(request.stagingDir, `${safeFileName(metrics.stream)}-${String(metrics.pages + 1).padStart(5, '0')}.staged`);
      const page: PageQuery = { table, order: plan.order, after, delta: plan.delta, limit: plan.limit };
      const staged = await this.dialect.stagePage(session, page, file);
      metrics.requests += staged.parts?.length ?? 1;
      metrics.pages += 1;
      metrics.records += staged.rows;
      metrics.bytes += staged.bytes;
      for (const [i, part] of (staged.parts ?? [{ file, bytes: staged.bytes }]).entries()) {
        files.push({ path: part.file, name: `${metrics.stream} page ${metrics.pages}${staged.parts ? ` part ${i + 1}` : ''}`, bytes: part.bytes });
      }
      for (const change of staged.altered ?? []) altered.set(change.code, { what: change.what, values: (altered.get(change.code)?.values ?? 0) + change.values });
      request.progress?.([{ ...metrics }]);
      if (staged.rows > 0 && staged.last) {
        if (after && !keysAdvance(after, staged.last)) throw new SourceProviderError(`${this.dialect.product} returned a page of ${metrics.stream} that does not start after the one before it; the read stopped`);
        after = staged.last;
      }
      if (plan.limit === undefined || staged.rows < plan.limit) break;
    }
    for (const [code, change] of altered) if (change.values > 0) plan.notices.push({ code, message: `${change.values} ${change.what}` });
    const state = plan.delta ? nextState(plan, after) : undefined;
    if (metrics.records === 0 && !plan.snapshot) return { relation: null, inputFiles: [], metrics: [metrics], ...(state ? { state } : {}), notices: plan.notices };
    const reader = this.dialect.stagedReader(files.map((f) => f.path), table.columns);
    return {
      relation: plan.delta ? `(SELECT *, to_timestamp(1) AS ${unseenColumn} FROM ${reader})` : reader,
      ...(plan.delta ? { unseenAfter: { column: unseenColumn, after: 0 } } : {}),
      inputFiles: files,
      metrics: [metrics],
      ...(state ? { state } : {}),
      ...(plan.snapshot ? { snapshot: true } : {}),
      ...(plan.notices.length > 0 ? { notices: plan.notices } : {}),
    };
  }

  private async findTable(session: Session, address: DatabaseAddress, named: string): Promise<TableDescription> {
    const table = await this.dialect.describeTable(session, parseTableName(named));
    if (!table) throw new SourceConfigError(`${this.dialect.product} database "${address.database}" has no table or view ${named} that user "${address.user}" can see; check the name (schema.table) or list the tables with explore objectType=root`);
    return table;
  }

  /** Opens a session, runs `work`, closes it; a driver failure comes out classified. */
  private async withSession<T>(address: DatabaseAddress, context: FailureContext, work: (session: Session) => Promise<T>): Promise<T> {
    const session = await this.dialect.open(address);
    try {
      return await work(session);
    } catch (error) {
      if (isSourceError(error)) throw error;
      throw this.dialect.classify(error, context);
    } finally {
      await this.dialect.close(session);
    }
  }
}

interface ReadPlan {
  order: SourceColumn[];
  after: string[] | undefined;
  delta: PageQuery['delta'];
  limit: number | undefined;
  snapshot: boolean;
  table: string;
  notices: { code: string; message: string }[];
}

/**
 * How a run reads the table. With a time-typed delta column: the keyset (delta, primary key), starting after the
 * state's last row (or after the watermark, or the window's start), up to the window's end, in pages when an
 * index leads with the keyset's columns (each page is then a range of the index) and in one ordered pass when
 * none does (pages would each scan and sort the table again). A table without a primary key is ordered by the
 * delta column alone. Without a delta column: the whole table in one pass, in no order. Every query of a read runs
 * in one snapshot, so a full read has nothing to gain from pages, and a sequential scan is the fastest read a
 * database has.
 */
function readPlan(table: TableDescription, request: ExtractRequest, pageRows: number): ReadPlan {
  const notices: ReadPlan['notices'] = [];
  const key = table.primaryKey.map((name) => table.columns.find((c) => c.name === name)).filter((c): c is SourceColumn => c !== undefined);
  const path = tablePath(table);
  const wanted = request.deltaColumn?.name;
  const deltaColumn = wanted === undefined ? undefined : columnNamed(table, wanted);
  if (wanted !== undefined && !deltaColumn) throw new SourceConfigError(`the flow's delta column "${wanted}" is not a column of ${path}; its columns are ${table.columns.map((c) => c.name).join(', ')}`);
  // A date is a UTC day in the SQL bounds; a flow that reads dates in another zone lets the engine filter them.
  const pushable = deltaColumn?.time !== undefined && (deltaColumn.time !== 'date' || isUtc(request.deltaColumn?.timezone));
  if (deltaColumn && pushable) {
    const order = [deltaColumn, ...key.filter((c) => c.name !== deltaColumn.name)];
    const names = order.map((c) => c.name);
    const state = readDatabaseSourceState(request.state, { table: path, delta: deltaColumn.name, key: names });
    const start = request.deltaColumn?.watermark ?? (request.window?.start != null ? new Date(request.window.start).toISOString() : undefined);
    const upTo = new Date(request.window?.end ?? Date.now()).toISOString();
    const indexed = key.length > 0 && (table.indexes ?? []).some((index) => names.every((name, i) => index[i] === name));
    return {
      order,
      after: state?.last,
      delta: { column: deltaColumn, after: state ? undefined : start, upTo },
      limit: indexed ? pageRows : undefined,
      snapshot: false,
      table: path,
      notices,
    };
  }
  if (deltaColumn) {
    const why = deltaColumn.time === 'date' ? `a date read in the flow's zone ${request.deltaColumn?.timezone ?? ''} (only UTC dates bound the query)` : `${deltaColumn.sourceType}, not a date or timestamp`;
    notices.push({ code: 'DATABASE-DELTA-NOT-PUSHED', message: `the delta column "${deltaColumn.name}" is ${why}: the whole table is read and the run keeps the rows after the watermark` });
  }
  return { order: [], after: undefined, delta: undefined, limit: undefined, snapshot: deltaColumn === undefined, table: path, notices };
}

function isUtc(zone: string | undefined): boolean {
  return zone === undefined || /^(UTC|Etc\/UTC|GMT|Z)$/i.test(zone);
}

function nextState(plan: ReadPlan, last: string[] | undefined): DatabaseSourceState | undefined {
  if (!last || !plan.delta) return undefined;
  return { version: 1, table: plan.table, delta: plan.delta.column.name, key: plan.order.map((c) => c.name), last };
}

/** The column by its exact name, else the only one that matches ignoring case. */
function columnNamed(table: TableDescription, name: string): SourceColumn | undefined {
  const exact = table.columns.find((c) => c.name === name);
  if (exact) return exact;
  const loose = table.columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
  return loose.length === 1 ? loose[0] : undefined;
}

/** The next page's key differs from the last one's: a page that repeated its start would loop for ever. */
function keysAdvance(before: string[], after: string[]): boolean {
  return before.some((value, i) => value !== after[i]);
}

function where(address: DatabaseAddress): string {
  return `${address.host}${address.port ? `:${address.port}` : ''}, database "${address.database}"`;
}

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80);
}
