import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import { ResourcesRepository, type Scope } from '../store/resources.repository.js';

/** Leases name live processes; a backup leaves them out, so a restored server fails the runs they held. */
export const runLeaseKind = 'engine.runLease';

/** How often a process says its runs are still alive, and how long silence means the process is gone. */
const heartbeatMs = 15_000;
const staleMs = 4 * heartbeatMs;

export interface Lease {
  /** `<host>:<pid>:<instance>` of the process running it (the instance tells a restarted pid 1 from its predecessor). */
  owner: string;
  heartbeatAt: number;
}

/**
 * Which process runs which run. Several servers may share one metadata store and lake: a server that starts
 * must fail only the runs whose process is gone, not those another server is running. A process on this
 * host is gone when its pid is, is a zombie, or has been silent for a minute (for this very pid, when the lease
 * is an earlier process's); one elsewhere, when its heartbeat has been silent for a minute.
 */
export class RunLeases {
  private readonly instance = crypto.randomUUID();
  readonly owner = `${os.hostname()}:${process.pid}:${this.instance}`;
  private readonly repo: ResourcesRepository;

  constructor(private readonly db: Kysely<Database>, private readonly now: () => number) {
    this.repo = new ResourcesRepository(db);
  }

  /**
   * Claims a run for this process until the returned release is called; a heartbeat keeps the claim fresh.
   * `release({ keep: true })` stops the heartbeat but leaves the lease, for a run whose final record could not be
   * saved: the lease then names it to the recovery sweep, which fails it.
   */
  async take(scope: Scope, runId: string): Promise<(options?: { keep?: boolean }) => Promise<void>> {
    let beats = 0;
    let etag = String(beats);
    await this.repo.insert(scope, { kind: runLeaseKind, id: runId, body: this.lease(), secret: null, etag, createdAt: this.now(), updatedAt: this.now() });
    let beating: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      beating = beating
        .then(async () => {
          const next = String(beats + 1);
          if (await this.repo.update(scope, { kind: runLeaseKind, id: runId, body: this.lease(), secret: null, etag: next, createdAt: this.now(), updatedAt: this.now() }, etag)) {
            beats += 1;
            etag = next;
          }
        })
        .catch(() => undefined);
    }, heartbeatMs);
    timer.unref();
    return async (options = {}) => {
      clearInterval(timer);
      await beating;
      if (!options.keep) await this.repo.delete(runLeaseKind, scope, runId);
    };
  }

  /** Every lease of every org, by run id. */
  async all(): Promise<Map<string, Lease & { scope: Scope }>> {
    const rows = await this.db.selectFrom('resources').select(['id', 'org_id', 'sandbox_id', 'body']).where('kind', '=', runLeaseKind).execute();
    return new Map(rows.map((row) => [row.id, { ...(JSON.parse(row.body) as Lease), scope: { orgId: row.org_id, sandboxId: row.sandbox_id } }]));
  }

  /** The lease of one run, if any process holds it. */
  async find(runId: string): Promise<(Lease & { scope: Scope }) | undefined> {
    const row = await this.db.selectFrom('resources').select(['body', 'org_id', 'sandbox_id']).where('kind', '=', runLeaseKind).where('id', '=', runId).executeTakeFirst();
    return row ? { ...(JSON.parse(row.body) as Lease), scope: { orgId: row.org_id, sandboxId: row.sandbox_id } } : undefined;
  }

  /** Whether the process holding a lease may still be running the run. */
  isAlive(lease: Lease | undefined): boolean {
    if (!lease) return false;
    const { host, pid, instance } = splitOwner(lease.owner);
    const beating = this.now() - lease.heartbeatAt < staleMs;
    if (host !== os.hostname()) return beating;
    if (pid === process.pid) return instance === this.instance;
    // A pid that answers may be a killed server's zombie, or another program that got the pid since: only a
    // live process whose heartbeat is fresh still runs the run.
    return pidAlive(pid) && !isZombie(pid) && beating;
  }

  async drop(scope: Scope, runId: string): Promise<void> {
    await this.repo.delete(runLeaseKind, scope, runId);
  }

  private lease(): Lease {
    return { owner: this.owner, heartbeatAt: this.now() };
  }
}

function splitOwner(owner: string): { host: string; pid: number; instance: string } {
  const parts = owner.split(':');
  const instance = parts.pop() ?? '';
  const pid = Number(parts.pop());
  return { host: parts.join(':'), pid, instance };
}

/** On Linux, a process that has exited but not been reaped yet (state Z or X in /proc/<pid>/stat). */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The command name in parentheses may hold spaces; the state follows its closing parenthesis.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
