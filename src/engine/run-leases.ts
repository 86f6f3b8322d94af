import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import { ResourcesRepository, type Scope } from '../store/resources.repository.js';

/** Leases name live processes; a backup leaves them out, so a restored server fails the runs they held. */
export const runLeaseKind = 'engine.runLease';

/**
 * How often a process says its runs are still alive; four silent beats mean the process is gone. Workers on
 * several machines may set it lower (TRIBUTARY_RUN_HEARTBEAT_SECONDS) to hand a dead worker's run on sooner.
 */
export const defaultHeartbeatMs = 15_000;

export interface Lease {
  /** `<host>:<pid>:<instance>` of the process running it (the instance tells a restarted pid 1 from its predecessor). */
  owner: string;
  heartbeatAt: number;
  /** Set while the run executes (not while it waits in its process's queue): what the run limits count. */
  executing?: boolean | undefined;
  /** The base connection the executing run reads, for the limit per connection. */
  connectionId?: string | undefined;
}

/** What a lease says of its run beyond its holder (see `Lease`). */
export type LeaseMarks = Pick<Lease, 'executing' | 'connectionId'>;

/** Stops a lease's heartbeat and drops it (`keep`: leaves it, for recovery), or changes what it says of its run. */
export interface LeaseHandle {
  release(options?: { keep?: boolean }): Promise<void>;
  mark(marks: LeaseMarks): Promise<void>;
}

/** A lease as read: with its scope and the etag a conditional drop needs. */
export type ReadLease = Lease & { scope: Scope; etag: string };

/** Another live process holds the lease of this run. */
export class LeaseHeld extends Error {
  constructor(readonly runId: string, readonly owner: string) {
    super(`run ${runId} is held by ${owner}`);
    this.name = 'LeaseHeld';
  }
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
  private readonly heartbeatMs: number;
  /** How long a holder may stay silent before it is taken for gone: four beats. */
  readonly silenceMs: number;

  constructor(private readonly db: Kysely<Database>, private readonly now: () => number, options: { heartbeatMs?: number | undefined } = {}) {
    this.repo = new ResourcesRepository(db);
    this.heartbeatMs = options.heartbeatMs ?? defaultHeartbeatMs;
    this.silenceMs = 4 * this.heartbeatMs;
  }

  /**
   * Writes this process's lease of a run inside `trx` (the transaction that records the run), for a run this very
   * process will run: no other server ever sees the run without its owner. `hold` then keeps it fresh.
   */
  async record(trx: Transaction<Database>, scope: Scope, runId: string): Promise<void> {
    await new ResourcesRepository(trx).insert(scope, { kind: runLeaseKind, id: runId, body: this.lease(), secret: null, etag: this.etagOf(0), createdAt: this.now(), updatedAt: this.now() });
  }

  /** Starts the heartbeat of a lease `record` wrote, saying `marks` at once; the release works as `take`'s. */
  async hold(scope: Scope, runId: string, marks: LeaseMarks = {}): Promise<LeaseHandle> {
    // A run delivered again after a deferral holds the lease as it left it, beats counted.
    const current = await this.find(runId);
    const handle = this.beat(scope, runId, current?.etag ?? this.etagOf(0), marks);
    await handle.mark(marks);
    return handle;
  }

  /**
   * Claims a run for this process until the returned release is called; a heartbeat keeps the claim fresh.
   * `release({ keep: true })` stops the heartbeat but leaves the lease, for a run whose final record could not be
   * saved: the lease then names it to the recovery sweep, which fails it.
   */
  async take(scope: Scope, runId: string, marks: LeaseMarks = {}): Promise<LeaseHandle> {
    const lease = { kind: runLeaseKind, id: runId, body: this.lease(marks), secret: null, etag: this.etagOf(0), createdAt: this.now(), updatedAt: this.now() };
    try {
      await this.repo.insert(scope, lease);
    } catch (error) {
      // A redelivered run: the lease of the attempt before, whose process is gone, is taken over (conditionally,
      // so two processes cannot both take it).
      const held = await this.find(runId);
      if (!held) throw error;
      if (this.isAlive(held)) throw new LeaseHeld(runId, held.owner);
      if (!(await this.repo.update(scope, lease, held.etag))) throw new LeaseHeld(runId, 'another process that took it at the same time');
    }
    return this.beat(scope, runId, this.etagOf(0), marks);
  }

  /**
   * How many runs of the org (and, with `connectionId`, of that base connection) are executing on any process, by
   * their leases. A lease whose holder died counts until a sweep drops it (a few heartbeats).
   */
  async executing(orgId: string, connectionId?: string): Promise<number> {
    let query = this.db
      .selectFrom('resources')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', runLeaseKind)
      .where('org_id', '=', orgId)
      .where('body', 'like', '%"executing":true%');
    // Connection ids are uuids the server made: no LIKE wildcard can be in one.
    if (connectionId !== undefined) query = query.where('body', 'like', `%${JSON.stringify({ connectionId }).slice(1, -1)}%`);
    const row = await query.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Etags name the process and its beat: a stopped process that resumes cannot overwrite the lease another process
   * took over, even at the same beat count.
   */
  private etagOf(beats: number): string {
    return `${this.instance}:${beats}`;
  }

  private beat(scope: Scope, runId: string, from: string, initial: LeaseMarks): LeaseHandle {
    let etag = from;
    let beats = Number(from.slice(from.lastIndexOf(':') + 1)) || 0;
    let marks = initial;
    let beating: Promise<void> = Promise.resolve();
    const write = () => {
      beating = beating
        .then(async () => {
          const next = this.etagOf(beats + 1);
          if (await this.repo.update(scope, { kind: runLeaseKind, id: runId, body: this.lease(marks), secret: null, etag: next, createdAt: this.now(), updatedAt: this.now() }, etag)) {
            beats += 1;
            etag = next;
          }
        })
        .catch(() => undefined);
      return beating;
    };
    const timer = setInterval(write, this.heartbeatMs);
    timer.unref();
    return {
      release: async (options = {}) => {
        clearInterval(timer);
        await beating;
        if (!options.keep) await this.dropIf(scope, runId, etag);
      },
      mark: async (next) => {
        marks = next;
        await write();
      },
    };
  }

  /** Deletes a lease only while it is the one read (`etag`): a lease another process took over since stays. */
  async dropIf(scope: Scope, runId: string, etag: string): Promise<void> {
    await this.db.deleteFrom('resources').where('kind', '=', runLeaseKind).where('id', '=', runId).where('org_id', '=', scope.orgId).where('sandbox_id', '=', scope.sandboxId).where('etag', '=', etag).execute();
  }

  /** Every lease of every org, by run id. */
  async all(): Promise<Map<string, ReadLease>> {
    const rows = await this.db.selectFrom('resources').select(['id', 'org_id', 'sandbox_id', 'body', 'etag']).where('kind', '=', runLeaseKind).execute();
    return new Map(rows.map((row) => [row.id, readLease(row)]));
  }

  /** The lease of one run, if any process holds it. */
  async find(runId: string): Promise<ReadLease | undefined> {
    const row = await this.db.selectFrom('resources').select(['body', 'org_id', 'sandbox_id', 'etag']).where('kind', '=', runLeaseKind).where('id', '=', runId).executeTakeFirst();
    return row ? readLease(row) : undefined;
  }

  /** Whether the process holding a lease may still be running the run. */
  isAlive(lease: Lease | undefined): boolean {
    if (!lease) return false;
    const { host, pid, instance } = splitOwner(lease.owner);
    const beating = this.now() - lease.heartbeatAt < this.silenceMs;
    if (host !== os.hostname()) return beating;
    if (pid === process.pid) return instance === this.instance;
    // A pid that answers may be a killed server's zombie, or another program that got the pid since: only a
    // live process whose heartbeat is fresh still runs the run.
    return pidAlive(pid) && !isZombie(pid) && beating;
  }

  private lease(marks: LeaseMarks = {}): Lease {
    return { owner: this.owner, heartbeatAt: this.now(), ...marks };
  }
}

/** A stored lease; a body that is not one reads as a lease of no process, silent since 1970, so it is dropped. */
function readLease(row: { body: string; org_id: string; sandbox_id: string; etag: string }): ReadLease {
  const body = JSON.parse(row.body) as Partial<Lease>;
  return {
    owner: typeof body.owner === 'string' ? body.owner : '::',
    heartbeatAt: typeof body.heartbeatAt === 'number' ? body.heartbeatAt : 0,
    scope: { orgId: row.org_id, sandboxId: row.sandbox_id },
    etag: row.etag,
  };
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
