import fs from 'node:fs';
import type pg from 'pg';
import { sqlIdentifier } from '../../../mapping/sql-text.js';
import type { StagedPage, TableDescription } from '../sql-source-dialect.js';
import { connect, copyInto, type PostgresSession } from './postgres-connection.js';

/**
 * Copies at once in a full read. One `COPY` keeps one server core busy turning rows into text; a second one, on
 * another connection in the same snapshot, roughly halves the read on a server with a core to spare.
 */
const streams = 2;
/** Below this many 8 kB blocks (32 MB) a second connection costs more than it saves. */
const minimumBlocks = 4096;

/**
 * A whole table copied by block ranges (`ctid`), each range on a connection of its own that reads the snapshot
 * the run's transaction exported, into a file of its own: the same rows a single `COPY` gives, sooner. Undefined
 * when the table is small, has no blocks of its own (a view, a partitioned or foreign table) or the server is older
 * than PostgreSQL 14 (no range scans by `ctid`): the caller then copies it in one pass.
 */
export async function stageInParts(session: PostgresSession, table: TableDescription, select: string[], file: string): Promise<StagedPage | undefined> {
  const name = `${sqlIdentifier(table.schema)}.${sqlIdentifier(table.name)}`;
  const sized = await session.client.query<{ blocks: string; version: number }>(
    `SELECT pg_relation_size(c.oid) / current_setting('block_size')::int AS blocks, current_setting('server_version_num')::int AS version
       FROM pg_class c WHERE c.oid = $1::regclass AND c.relkind IN ('r', 'm')`,
    [name],
  );
  const blocks = Number(sized.rows[0]?.blocks ?? 0);
  if ((sized.rows[0]?.version ?? 0) < 140000 || blocks < minimumBlocks) return undefined;
  // The other connections first: a server or role out of connections gets the one-pass read instead.
  const helpers = await Promise.allSettled(Array.from({ length: streams - 1 }, () => connect(session.address, session.tls)));
  const clients = helpers.flatMap((h) => (h.status === 'fulfilled' ? [h.value] : []));
  if (clients.length < streams - 1) {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
    return undefined;
  }
  try {
    return await copyInParts(session, clients, name, blocks, select, file);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

async function copyInParts(session: PostgresSession, helpers: pg.Client[], name: string, blocks: number, select: string[], file: string): Promise<StagedPage> {
  const snapshot = (await session.client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]?.id as string;
  // Ranges of whole blocks; the last is open, so a table that grew since it was measured is still read whole.
  const step = Math.ceil(blocks / streams);
  const ranges = Array.from({ length: streams }, (_, i) => {
    const from = `ctid >= '(${i * step},0)'::tid`;
    return i === streams - 1 ? from : `${from} AND ctid < '(${(i + 1) * step},0)'::tid`;
  });
  const files = ranges.map((_, i) => (i === 0 ? file : `${file}.part${i + 1}`));
  const copies = ranges.map((range, i) => ({ sql: `COPY (SELECT ${select.join(', ')} FROM ${name} AS t WHERE ${range}) TO STDOUT WITH (FORMAT csv)`, file: files[i] as string }));
  const settled = await Promise.allSettled(copies.map((copy, i) => (i === 0 ? copyInto(session.client, copy.sql, copy.file) : copyOnSnapshot(helpers[i - 1] as pg.Client, snapshot, copy.sql, copy.file))));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const rows = settled.reduce((sum, s) => sum + (s.status === 'fulfilled' ? s.value : 0), 0);
  const parts = files.map((part) => ({ file: part, bytes: fs.statSync(part).size }));
  return { rows, bytes: parts.reduce((sum, p) => sum + p.bytes, 0), parts };
}

/** One `COPY` on another connection, in a transaction that sees the exported snapshot. */
async function copyOnSnapshot(client: pg.Client, snapshot: string, sql: string, file: string): Promise<number> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replaceAll("'", "''")}'`);
  const rows = await copyInto(client, sql, file);
  await client.query('COMMIT');
  return rows;
}
