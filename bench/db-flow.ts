/**
 * bench:db's Tributary side: a PostgreSQL connection, a source connection on the payments table, a dataset with a
 * mapping of every column, and flows (CRMToAEP, Copy with `updated_at` as the delta column), all created over HTTP
 * as a user would; and a run of a flow watched from its POST to its end, stage by stage, with the landing process's
 * memory.
 */
import { createTarget, idOf, type BenchClient } from './bench-server.js';
import { cpuSeconds, residentMemory, resetPeakMemory } from './process-usage.js';

export const postgresSpec = '74a1c565-4e59-48d7-9d67-7c03b8a13137';
export const crmToAepFlowSpec = '14518937-270c-4525-bdec-c2ba7cce3860';
const postgresAuthSpec = 'Connection String Based Authentication';

/** AEP's PostgreSQL connection string (`Server=…;Database=…;Port=…;UID=…;Password=…`) for a `postgres://` URL. */
export function aepConnectionString(url: string): string {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  return `Server=${parsed.hostname};Database=${database};Port=${parsed.port || '5432'};UID=${decodeURIComponent(parsed.username) || 'postgres'};Password=${decodeURIComponent(parsed.password)}`;
}

export interface DbFlowParts {
  source: string;
  target: string;
  mapping: string;
}

/** The connection, source connection and target side; flows are made from them with `createDbFlow`. */
export async function createDbFlowParts(client: BenchClient, databaseUrl: string, table: string): Promise<DbFlowParts> {
  const connection = idOf(await client.post('/flowservice/connections', {
    name: 'bench PostgreSQL',
    auth: { specName: postgresAuthSpec, params: { connectionString: aepConnectionString(databaseUrl) } },
    connectionSpec: { id: postgresSpec, version: '1.0' },
  }));
  const source = idOf(await client.post('/flowservice/sourceConnections', {
    name: table,
    baseConnectionId: connection,
    data: { format: 'tabular' },
    params: { tableName: table },
    connectionSpec: { id: postgresSpec, version: '1.0' },
  }));
  const dateTime = { type: 'string', format: 'date-time' };
  const { target, mapping } = await createTarget(
    client,
    'payment',
    {
      customerId: { type: 'string' }, amount: { type: 'number' }, fee: { type: 'number' }, currency: { type: 'string' }, status: { type: 'string' },
      method: { type: 'string' }, country: { type: 'string' }, description: { type: 'string' }, metadata: { type: 'string' }, createdAt: dateTime, updatedAt: dateTime,
    },
    [
      ['id', '_id'], ['customer_id', '$tenant.payment.customerId'], ['amount', '$tenant.payment.amount'], ['fee', '$tenant.payment.fee'],
      ['currency', '$tenant.payment.currency'], ['status', '$tenant.payment.status'], ['payment_method', '$tenant.payment.method'],
      ['country', '$tenant.payment.country'], ['description', '$tenant.payment.description'], ['metadata', '$tenant.payment.metadata'],
      ['created_at', '$tenant.payment.createdAt'], ['updated_at', '$tenant.payment.updatedAt'],
    ],
  );
  return { source, target, mapping };
}

/**
 * A flow over the table that runs only when asked to: incremental on `updated_at`, or with `delta` false a flow
 * without a delta column (every run reads the whole table, a snapshot).
 */
export async function createDbFlow(client: BenchClient, parts: DbFlowParts, name: string, delta = true): Promise<string> {
  return idOf(await client.post('/flowservice/flows', {
    name,
    flowSpec: { id: crmToAepFlowSpec, version: '1.0' },
    sourceConnectionIds: [parts.source],
    targetConnectionIds: [parts.target],
    transformations: [
      ...(delta ? [{ name: 'Copy', params: { deltaColumn: { name: 'updated_at', dateFormat: 'YYYY-MM-DD', timezone: 'UTC' } } }] : []),
      { name: 'Mapping', params: { mappingId: parts.mapping, mappingVersion: 0 } },
    ],
    // A `once` start in 2100: the scheduler never starts it within the benchmark.
    scheduleParams: { startTime: 4_102_444_800, frequency: 'once' },
  }));
}

/** A run as `GET /runs/{id}` shows it, the parts the benchmark reads. */
interface RunRecord {
  metrics: {
    durationSummary: { startedAtUTC?: number; completedAtUTC?: number };
    recordSummary: { inputRecordCount?: number; outputRecordCount?: number; failedRecordCount?: number; skippedRecordCount?: number };
    sizeSummary: { inputBytes?: number; outputBytes?: number };
    statusSummary: { status: string; errors?: { code: string; message: string }[]; extensions?: { stage?: string } };
  };
  activities?: { id: string; statusSummary?: { extensions?: { streams?: Record<string, unknown>[] } } }[];
}

/** One stretch of a run, between two of the times that bound its stages. */
export interface StageTime {
  stage: string;
  seconds: number;
  /** CPU seconds of the landing process and of the PostgreSQL backends reading for it in the stretch. */
  cpu?: CpuSplit;
}

export interface CpuSplit {
  server: number;
  database: number;
}

/**
 * The stages a run record shows while it runs (`statusSummary.extensions.stage`), each with what it is. The record
 * is saved when `reading`, `writing` and `committing` begin; `extracting` shows only once the connector reports
 * progress, so the extract is timed from the run's `startedAtUTC` to the first poll that saw `reading`.
 */
const stageBounds: { stage: string; then: string }[] = [
  { stage: 'reading', then: 'describe and compile' },
  { stage: 'writing', then: 'write (DuckDB: map, validate, Parquet)' },
  { stage: 'committing', then: 'commit' },
];

export interface WatchedRun {
  runId: string;
  /** From just before the POST to the run's `completedAtUTC`. */
  seconds: number;
  stages: StageTime[];
  inputRecords: number;
  outputRecords: number;
  failedRecords: number;
  outputBytes: number;
  /** What the connector said it did (the copy activity's `streams`). */
  connectorMetrics: Record<string, unknown>[];
  /** Peak RSS of the landing process during the run, from its VmHWM (reset before the POST). */
  peakRssMb: number;
  /** False when the kernel would not reset the peak: then it is the peak since the process started. */
  peakReset: boolean;
  /** CPU seconds of the whole run (from the POST): the landing process, and the database backends it read through. */
  cpu: CpuSplit;
}

/** What one poll saw of the CPU used so far: the landing process's (since it started) and the backends' (since theirs). */
interface CpuSample {
  at: number;
  server: number;
  database: number;
}

/**
 * How often the run is looked at: every 100 ms at first, then every 1% of the time it has run so far (at most every
 * second), so stage times are within about 1% and the polls' own cost to the server stays small on long runs.
 */
function pollDelayMs(elapsedMs: number): number {
  return Math.min(1000, Math.max(100, elapsedMs / 100));
}

/**
 * POSTs a run of the flow (with `windowEndTime` now, so rows changed just before are in its window: by default a
 * run's window ends a minute back), polls it until it ends, and times its stages. Throws when it failed or did not
 * end within `limitMinutes`. `landingPid` is the process that runs it (the server with its own worker);
 * `readers` lists the PostgreSQL backends reading for it right now, whose CPU is sampled every 100 ms (a backend's
 * last sample before its session closes is what counts, so up to 100 ms of its CPU may be missed).
 */
export async function runAndWatch(client: BenchClient, flowId: string, landingPid: number, readers: () => Promise<number[]>, limitMinutes: number): Promise<WatchedRun> {
  const backends = new Map<number, number>();
  const sample = async (): Promise<CpuSample> => {
    for (const pid of await readers()) backends.set(pid, cpuSeconds(pid) ?? backends.get(pid) ?? 0);
    return { at: Date.now(), server: cpuSeconds(landingPid) ?? 0, database: [...backends.values()].reduce((sum, n) => sum + n, 0) };
  };
  const peakReset = resetPeakMemory(landingPid);
  const before = await sample();
  const posted = Date.now();
  const runId = idOf(await client.post('/flowservice/runs', { flowId, params: { windowEndTime: Math.ceil(posted / 1000) + 1 } }));
  /** The first poll that saw each stage. */
  const seen = new Map<string, CpuSample>();
  let nextPoll = posted;
  while (Date.now() - posted < limitMinutes * 60_000) {
    // The backends' CPU every 100 ms (a backend's last sample before it ends is what counts), the run less often.
    if (Date.now() < nextPoll) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    nextPoll = Date.now() + pollDelayMs(Date.now() - posted);
    const response = await fetch(`${client.base}/data/foundation/flowservice/runs/${runId}`, { headers: client.headers });
    const record = ((await response.json()) as { items?: RunRecord[] }).items?.[0];
    const now = await sample();
    const status = record?.metrics.statusSummary.status;
    const stage = record?.metrics.statusSummary.extensions?.stage;
    if (status === 'inProgress' && stage && !seen.has(stage)) seen.set(stage, now);
    if (record && (status === 'success' || status === 'failed')) {
      const { metrics } = record;
      if (status === 'failed') throw new Error(`run ${runId} failed: ${JSON.stringify(metrics.statusSummary.errors)}`);
      const completed = metrics.durationSummary.completedAtUTC ?? now.at;
      const started = metrics.durationSummary.startedAtUTC ?? posted;
      const split = (from: CpuSample, to: CpuSample): CpuSplit => ({ server: to.server - from.server, database: to.database - from.database });
      // Boundaries in order; a stage no poll saw (shorter than a poll) counts in the one before it. CPU is split at
      // the polls, so the extract's CPU includes the POST's and the queue's.
      const stages: StageTime[] = [{ stage: 'POST and queue', seconds: (started - posted) / 1000 }];
      let from = { at: started, cpu: before };
      let name = 'extract (source to staging)';
      for (const bound of stageBounds) {
        const begun = seen.get(bound.stage);
        if (begun === undefined) continue;
        stages.push({ stage: name, seconds: (begun.at - from.at) / 1000, cpu: split(from.cpu, begun) });
        from = { at: begun.at, cpu: begun };
        name = bound.then;
      }
      stages.push({ stage: name, seconds: (completed - from.at) / 1000, cpu: split(from.cpu, now) });
      const copy = record.activities?.find((a) => a.id === 'copyActivity');
      return {
        runId,
        seconds: (completed - posted) / 1000,
        stages,
        inputRecords: metrics.recordSummary.inputRecordCount ?? 0,
        outputRecords: metrics.recordSummary.outputRecordCount ?? 0,
        failedRecords: metrics.recordSummary.failedRecordCount ?? 0,
        outputBytes: metrics.sizeSummary.outputBytes ?? 0,
        connectorMetrics: copy?.statusSummary?.extensions?.streams ?? [],
        peakRssMb: residentMemory(landingPid).peakMb,
        peakReset,
        cpu: split(before, now),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} had not ended after ${limitMinutes} minutes; the benchmark stopped waiting`);
}
