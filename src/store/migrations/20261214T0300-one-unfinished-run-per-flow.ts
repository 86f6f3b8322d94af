import { sql, type Kysely } from 'kysely';

/**
 * At most one unfinished (queued or in progress) run per flow, said by the database itself: servers and workers on
 * one store cannot start a second run of a flow between reading that none is running and recording theirs. Runs
 * a store already holds twice unfinished for one flow (servers before this index could race) keep only the newest
 * unfinished; the older ones are recorded failed in the index, and `Engine.recover` finds their bodies anyway.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    UPDATE flow_runs SET status = 'failed'
    WHERE status IN ('queued', 'inProgress') AND EXISTS (
      SELECT 1 FROM flow_runs AS newer
      WHERE newer.org_id = flow_runs.org_id AND newer.sandbox_id = flow_runs.sandbox_id AND newer.flow_id = flow_runs.flow_id
        AND newer.status IN ('queued', 'inProgress')
        AND (newer.created_at > flow_runs.created_at OR (newer.created_at = flow_runs.created_at AND newer.run_id > flow_runs.run_id))
    )`.execute(db);
  await db.schema
    .createIndex('flow_runs_one_unfinished')
    .unique()
    .on('flow_runs')
    .columns(['org_id', 'sandbox_id', 'flow_id'])
    .where(sql.ref('status'), 'in', ['queued', 'inProgress'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('flow_runs_one_unfinished').execute();
}
