import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { PeriodicSweep } from '../../engine/periodic-sweep.js';
import type { RunLog } from '../../engine/run-log.js';
import type { LakeLayout } from '../../lake/lake-layout.js';
import type { Database } from '../../store/database.js';
import { queryResultKind } from './queries.js';

export interface QueryResultExpiryDeps {
  db: Kysely<Database>;
  layout: LakeLayout;
  now: () => number;
  /** How long a result is kept after its query finished. */
  ttlMs: number;
  log?: RunLog | undefined;
}

/** Expired results answer 410 at once whether swept or not; the sweep only gives their space back, so hourly will do. */
const sweepEveryMs = 3600_000;

const resultSuffix = '.ndjson';

/** Results removed per store query: ids bound in one statement stay well under both backends' limits. */
const pageSize = 500;

/** Pages per pass: a pass removes at most 20,000 results and leaves the rest to the next one, never hogging the store. */
const pagesPerPass = 40;

export interface ExpirySweep {
  /** Results removed from the metadata store (their files with them). */
  results: number;
  /** Files removed that no stored result pointed to any more (left by a crash between writing and recording). */
  strayFiles: number;
}

/**
 * Removes query results older than `ttlMs`: their records in the metadata store (results stored there before
 * Tributary kept large ones in files included) and their files under `<data dir>/results`.
 */
export class QueryResultExpiry {
  private readonly periodic: PeriodicSweep<ExpirySweep>;

  constructor(private readonly deps: QueryResultExpiryDeps) {
    this.periodic = new PeriodicSweep(
      async () => {
        const cutoff = this.deps.now() - this.deps.ttlMs;
        return { results: await this.removeStored(cutoff), strayFiles: await this.removeStrayFiles(cutoff) };
      },
      { everyMs: sweepEveryMs, atStart: true, failed: (error) => this.deps.log?.warn({ err: error }, 'sweeping expired query results failed') },
    );
  }

  /** Sweeps once now, then hourly until `stop`; the timer never keeps the process alive. */
  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass; a pass under way is joined, never run twice at once. */
  sweep(): Promise<ExpirySweep> {
    return this.periodic.run();
  }

  private async removeStored(cutoff: number): Promise<number> {
    let removed = 0;
    for (let page = 0; page < pagesPerPass; page += 1) {
      // Only ids: a result stored in the database before files existed may be hundreds of MB.
      const rows = await this.deps.db.selectFrom('resources').select('id').where('kind', '=', queryResultKind).where('created_at', '<', cutoff).orderBy('id').limit(pageSize).execute();
      if (rows.length === 0) break;
      const ids = rows.map((row) => row.id);
      for (const id of ids) await fs.promises.rm(this.deps.layout.queryResultFile(id), { force: true });
      await this.deps.db.deleteFrom('resources').where('kind', '=', queryResultKind).where('id', 'in', ids).execute();
      removed += ids.length;
      if (rows.length < pageSize) break;
    }
    return removed;
  }

  private async removeStrayFiles(cutoff: number): Promise<number> {
    const dir = this.deps.layout.resultsDir();
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    // Old enough first (a stat each), then the bound: recent files, however many, never keep old ones waiting.
    const old: { file: string; id: string }[] = [];
    for (const name of names) {
      if (old.length >= pageSize * pagesPerPass) break;
      if (!name.endsWith(resultSuffix)) continue;
      const file = path.join(dir, name);
      const stat = await fs.promises.lstat(file).catch(() => undefined);
      if (stat?.isFile() && stat.mtimeMs < cutoff) old.push({ file, id: name.slice(0, -resultSuffix.length) });
    }
    let removed = 0;
    for (let from = 0; from < old.length; from += pageSize) {
      const batch = old.slice(from, from + pageSize);
      // A file its result still points to goes with that result (by the result's own age), never before.
      const recorded = new Set(
        (await this.deps.db.selectFrom('resources').select('id').where('kind', '=', queryResultKind).where('id', 'in', batch.map((f) => f.id)).execute()).map((row) => row.id),
      );
      for (const { file, id } of batch) {
        if (recorded.has(id)) continue;
        await fs.promises.rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
