import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { LakeLayout } from '../../lake/lake-layout.js';
import { QueryError } from '../../lake/query-error.js';
import type { QueryWorkers } from '../../lake/query-workers.js';
import { ApiError } from '../../server/errors/api-error.js';
import type { Database } from '../../store/database.js';
import { ResourcesRepository, type Scope } from '../../store/resources.repository.js';
import { currentState, isFinal, parseStoredQuery, queryKind, queryResultKind } from './queries.js';
import { QueryAdmission } from './query-admission.js';
import { busyRetryAfterSeconds, type QueryLimits } from './query-limits.js';
import { inlineResultBytes, QueryResultFiles } from './query-result-files.js';
import { maxResultRows, type CreateQueryBody, type QueryState, type StoredQuery, type StoredResult } from './query.schema.js';
import { runQuery } from './run-query.js';
import { RunningQueries } from './running-queries.js';

export interface QueryRunsDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  workers: QueryWorkers;
  limits: QueryLimits;
}

/** Who submits a query, and where. */
export interface Submitter {
  scope: Scope & { sandboxName: string };
  clientId: string;
  userId: string;
}

/** A query in its final state: SUCCESS with its result, or FAILED or CANCELLED with why. */
export type Submitted = { query: StoredQuery; result: StoredResult } | { query: StoredQuery; failure: QueryError };

export type CancelOutcome = { kind: 'notFound' } | { kind: 'cancelled' } | { kind: 'requested' } | { kind: 'finished'; state: QueryState };

/**
 * How often a running query checks its record for a cancel or a delete sent to another server: four queries a
 * server at most, so a read every two seconds each costs little and a cancel takes effect within two seconds.
 */
const remoteCancelPollMs = 2_000;

/** A query's record has few writers (its run, and cancels through other servers); this many tries settles any race. */
const writeAttempts = 5;

/**
 * Queries from submission to their final state. A query is recorded (SUBMITTED) before it runs, IN_PROGRESS while
 * a worker runs it, then SUCCESS with its result, FAILED or CANCELLED; every step is in the metadata store, so any
 * server sharing it can show or cancel the query.
 */
export class QueryRuns {
  readonly files: QueryResultFiles;
  private readonly admission: QueryAdmission;
  private readonly running = new RunningQueries();

  constructor(private readonly deps: QueryRunsDeps) {
    this.files = new QueryResultFiles(deps.layout);
    this.admission = new QueryAdmission(deps.limits);
  }

  get limits(): QueryLimits {
    return this.deps.limits;
  }

  /**
   * Runs a query while the caller waits; throws `ApiError` (429) when its org or the server is at its cap. When
   * `abandoned` fires (the client hung up), the query is cancelled: no one waits for its rows, and it would hold
   * one of its org's few places until its timeout.
   */
  async submit(who: Submitter, request: CreateQueryBody, abandoned?: AbortSignal): Promise<Submitted> {
    const admitted = this.admission.admit(who.scope.orgId);
    if ('refused' in admitted) {
      const which = admitted.refused === 'org' ? `Your org already runs ${this.deps.limits.perOrg} queries on this server` : `This server already runs ${this.deps.limits.perServer} queries`;
      throw new ApiError('tooManyRequests', `${which}, as many as it allows at once. Try again in ${busyRetryAfterSeconds} s, or cancel one (PATCH {"op":"cancel"}).`, {
        headers: { 'retry-after': String(busyRetryAfterSeconds) },
      });
    }
    const started = this.deps.now();
    const query: StoredQuery = {
      id: crypto.randomUUID(),
      state: 'SUBMITTED',
      dbName: request.dbName,
      sql: request.sql,
      ...(request.name !== undefined ? { name: request.name } : {}),
      ...(request.description !== undefined ? { description: request.description } : {}),
      rowCount: 0,
      truncated: false,
      elapsedTime: 0,
      created: started,
      updated: started,
      clientId: who.clientId,
      userId: who.userId,
      referencedDataSets: [],
      deadline: started + this.deps.limits.timeoutMs,
    };
    // Registered before it is recorded, so a cancel that finds the record also finds the running query.
    const run = this.running.start(query.id);
    const hungUp = () => void this.running.cancel(query.id);
    abandoned?.addEventListener('abort', hungUp, { once: true });
    let watch: NodeJS.Timeout | undefined;
    try {
      await new ResourcesRepository(this.deps.db).insert(who.scope, { kind: queryKind, id: query.id, body: query, secret: null, etag: '1', createdAt: started, updatedAt: started });
      // Only once the record exists: a poll that found none would take the query for deleted and cancel it.
      watch = setInterval(() => void this.checkRemoteCancel(who.scope, query.id), remoteCancelPollMs);
      const answer = await runQuery({ db: this.deps.db, layout: this.deps.layout, workers: this.deps.workers }, who.scope, request.sql, {
        rows: request.limit ?? maxResultRows,
        limits: this.deps.limits,
        resultFile: this.files.fileOf(query.id),
        inlineBytes: inlineResultBytes,
        signal: run.signal,
        onStart: async () => {
          await this.update(this.deps.db, who.scope, query.id, (q) => ({ ...q, state: 'IN_PROGRESS', updated: this.deps.now() }));
        },
      });
      const finished = this.deps.now();
      const result: StoredResult = answer.inFile ? { columns: answer.columns, rowCount: answer.rowCount, bytes: answer.bytes, inFile: true } : { columns: answer.columns, rows: answer.rows ?? [] };
      const final: StoredQuery = {
        ...query,
        state: 'SUCCESS',
        rowCount: answer.rowCount,
        truncated: answer.truncated,
        elapsedTime: finished - started,
        updated: finished,
        referencedDataSets: answer.dataSetIds,
      };
      const kept = await this.deps.db.transaction().execute(async (trx) => {
        const recorded = await this.update(trx, who.scope, query.id, (q) => ({ ...final, ...(q.cancelRequested ? { cancelRequested: true } : {}) }));
        if (recorded) await new ResourcesRepository(trx).insert(who.scope, { kind: queryResultKind, id: query.id, body: result, secret: null, etag: '1', createdAt: finished, updatedAt: finished });
        return recorded !== undefined;
      });
      // Deleted while it ran: nothing may keep its rows.
      if (!kept) await this.files.remove(query.id);
      return { query: final, result };
    } catch (error) {
      const failure = error instanceof QueryError ? error : undefined;
      const finished = this.deps.now();
      const final: StoredQuery = {
        ...query,
        state: failure?.kind === 'cancelled' ? 'CANCELLED' : 'FAILED',
        errors: [failure ? { code: failure.kind, message: failure.message } : { code: 'internal', message: 'The server failed to run the query; its log says why.' }],
        elapsedTime: finished - started,
        updated: finished,
      };
      await this.files.remove(query.id);
      await this.update(this.deps.db, who.scope, query.id, (q) => ({ ...final, ...(q.cancelRequested ? { cancelRequested: true } : {}) }));
      if (!failure) throw error;
      return { query: final, failure };
    } finally {
      abandoned?.removeEventListener('abort', hungUp);
      clearInterval(watch);
      run.finish();
      admitted.release();
    }
  }

  /**
   * Stops a SUBMITTED or IN_PROGRESS query. Run here, it is stopped and recorded CANCELLED before this returns; run by
   * another server, the cancel is recorded on the query and that server stops it (`requested`). A query whose server
   * is gone is recorded CANCELLED at once.
   */
  async cancel(scope: Scope, id: string): Promise<CancelOutcome> {
    const stored = await new ResourcesRepository(this.deps.db).get(queryKind, scope, id);
    if (!stored) return { kind: 'notFound' };
    const query = parseStoredQuery(stored.body);
    const now = this.deps.now();
    if (query.state === 'CANCELLED') return { kind: 'cancelled' };
    if (isFinal(query.state ?? 'SUCCESS')) return { kind: 'finished', state: query.state ?? 'SUCCESS' };
    if (await this.running.cancel(id)) return { kind: 'cancelled' };
    const lost = currentState(query, now).state === 'FAILED';
    const updated = await this.update(this.deps.db, scope, id, (q) =>
      lost ? { ...q, state: 'CANCELLED', updated: now, errors: [{ code: 'cancelled', message: 'The query was cancelled after its server stopped.' }] } : { ...q, cancelRequested: true },
    );
    if (!updated) return { kind: 'notFound' };
    return { kind: lost ? 'cancelled' : 'requested' };
  }

  /** Removes a query and its result, stopping it first if it runs; false when there is no such query. */
  async remove(scope: Scope, id: string): Promise<boolean> {
    const repo = new ResourcesRepository(this.deps.db);
    if (!(await repo.get(queryKind, scope, id))) return false;
    // Run here: stopped and recorded first. Run elsewhere: that server sees the record gone and stops it.
    await this.running.cancel(id);
    await this.deps.db.transaction().execute(async (trx) => {
      const tx = new ResourcesRepository(trx);
      await tx.delete(queryResultKind, scope, id);
      await tx.delete(queryKind, scope, id);
    });
    await this.files.remove(id);
    return true;
  }

  /** Stops every query this server runs (it is shutting down); each ends CANCELLED. */
  async cancelAll(): Promise<void> {
    await this.running.cancelAll();
  }

  private async checkRemoteCancel(scope: Scope, id: string): Promise<void> {
    if (!this.running.has(id)) return;
    try {
      const stored = await new ResourcesRepository(this.deps.db).get(queryKind, scope, id);
      if (!stored || parseStoredQuery(stored.body).cancelRequested) await this.running.cancel(id);
    } catch {
      // A store that does not answer now is asked again at the next tick; the query's timeout bounds the wait.
    }
  }

  /** Read, change, write back with the etag read; undefined when the query is gone. */
  private async update(db: Kysely<Database> | Transaction<Database>, scope: Scope, id: string, change: (query: StoredQuery) => StoredQuery): Promise<StoredQuery | undefined> {
    const repo = new ResourcesRepository(db);
    for (let attempt = 0; attempt < writeAttempts; attempt += 1) {
      const stored = await repo.get(queryKind, scope, id);
      if (!stored) return undefined;
      const next = change(parseStoredQuery(stored.body));
      const etag = String((Number.parseInt(stored.etag, 10) || 1) + 1);
      if (await repo.update(scope, { ...stored, body: next, etag, updatedAt: next.updated }, stored.etag)) return next;
    }
    throw new Error(`query ${id} changed ${writeAttempts} times while it was being recorded`);
  }
}
