import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';
import type { Scope } from '../../store/resources.repository.js';

/** Records waiting for one landing (one inlet, dataset and mapping), counted. */
export interface PendingGroup {
  scope: Scope;
  target: string;
  records: number;
  bytes: number;
  oldestAt: number;
}

/** A batch that claimed records and has not landed them yet. */
export interface ClaimedBatch {
  batchId: string;
  scope: Scope;
  target: string;
  claimedAt: number;
}

let sequence = 0;

/**
 * The records streaming inlets accepted and that wait to land. `append` is durable when it returns (a
 * committed transaction of SQLite, whose WAL is synced at commit, or PostgreSQL), so an inlet answers only
 * after it. A batch claims records, and the transaction that commits the batch deletes them.
 */
export class StreamQueue {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores records of one request in one transaction. Ids sort by arrival, so a batch keeps their order. */
  async append(scope: Scope, records: { target: string; body: string }[], now: number): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((record) => {
      sequence = (sequence + 1) % 1e9;
      return {
        id: `${String(now).padStart(15, '0')}-${String(sequence).padStart(9, '0')}-${crypto.randomBytes(4).toString('hex')}`,
        org_id: scope.orgId,
        sandbox_id: scope.sandboxId,
        target: record.target,
        body: record.body,
        bytes: Buffer.byteLength(record.body, 'utf8'),
        received_at: now,
        batch_id: null,
        claimed_at: null,
      };
    });
    await this.db.transaction().execute(async (trx) => {
      // Chunks keep each statement within SQLite's and PostgreSQL's limits on bound parameters.
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto('stream_records').values(rows.slice(i, i + 500)).execute();
    });
  }

  async pendingGroups(): Promise<PendingGroup[]> {
    const rows = await this.db
      .selectFrom('stream_records')
      .select((eb) => ['org_id', 'sandbox_id', 'target', eb.fn.countAll<number>().as('records'), eb.fn.sum<number>('bytes').as('bytes'), eb.fn.min<number>('received_at').as('oldest')])
      .where('batch_id', 'is', null)
      .groupBy(['org_id', 'sandbox_id', 'target'])
      .execute();
    return rows.map((r) => ({ scope: { orgId: r.org_id, sandboxId: r.sandbox_id }, target: r.target, records: Number(r.records), bytes: Number(r.bytes), oldestAt: Number(r.oldest) }));
  }

  /**
   * Claims the oldest waiting records of a group for `batchId`, up to `maxRecords` and `maxBytes` (at least one
   * record, however large), and runs `alsoInTransaction` (which creates the Catalog batch) in the same
   * transaction, so a claim never exists without its batch. Returns how many records were claimed.
   */
  async claim(group: PendingGroup, batchId: string, limits: { maxRecords: number; maxBytes: number }, now: number, alsoInTransaction: (trx: Transaction<Database>) => Promise<void>): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const candidates = await trx
        .selectFrom('stream_records')
        .select(['id', 'bytes'])
        .where('org_id', '=', group.scope.orgId)
        .where('sandbox_id', '=', group.scope.sandboxId)
        .where('target', '=', group.target)
        .where('batch_id', 'is', null)
        .orderBy('id')
        .limit(limits.maxRecords)
        .execute();
      let bytes = 0;
      let last: string | undefined;
      for (const row of candidates) {
        if (last !== undefined && bytes + Number(row.bytes) > limits.maxBytes) break;
        bytes += Number(row.bytes);
        last = row.id;
      }
      if (last === undefined) return 0;
      const result = await trx
        .updateTable('stream_records')
        .set({ batch_id: batchId, claimed_at: now })
        .where('org_id', '=', group.scope.orgId)
        .where('sandbox_id', '=', group.scope.sandboxId)
        .where('target', '=', group.target)
        .where('batch_id', 'is', null)
        .where('id', '<=', last)
        .executeTakeFirst();
      const claimed = Number(result.numUpdatedRows);
      if (claimed > 0) await alsoInTransaction(trx);
      return claimed;
    });
  }

  async claimedBatches(): Promise<ClaimedBatch[]> {
    const rows = await this.db
      .selectFrom('stream_records')
      .select((eb) => ['batch_id', 'org_id', 'sandbox_id', 'target', eb.fn.max<number>('claimed_at').as('claimed_at')])
      .where('batch_id', 'is not', null)
      .groupBy(['batch_id', 'org_id', 'sandbox_id', 'target'])
      .execute();
    return rows.map((r) => ({ batchId: String(r.batch_id), scope: { orgId: r.org_id, sandboxId: r.sandbox_id }, target: r.target, claimedAt: Number(r.claimed_at) }));
  }

  /** A claimed batch's records as JSON lines, in arrival order, read a page at a time. */
  async *lines(batchId: string, pageSize = 2000): AsyncGenerator<string> {
    let after = '';
    for (;;) {
      const page = await this.db.selectFrom('stream_records').select(['id', 'body']).where('batch_id', '=', batchId).where('id', '>', after).orderBy('id').limit(pageSize).execute();
      for (const row of page) yield `${row.body}\n`;
      const last = page[page.length - 1];
      if (!last || page.length < pageSize) return;
      after = last.id;
    }
  }

  /** Marks another attempt at landing a claimed batch, so that retries wait between attempts. */
  async touch(batchId: string, now: number): Promise<void> {
    await this.db.updateTable('stream_records').set({ claimed_at: now }).where('batch_id', '=', batchId).execute();
  }

  /** Deletes a batch's records: in the transaction that commits it, or when its dataset is gone. */
  async deleteBatch(db: Kysely<Database> | Transaction<Database>, batchId: string): Promise<void> {
    await db.deleteFrom('stream_records').where('batch_id', '=', batchId).execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('stream_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
