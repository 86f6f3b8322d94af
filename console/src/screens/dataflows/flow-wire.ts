import { flowservice, listAll, request, type Scope } from '../../api/client.js';

/** How often a flow runs, as its `scheduleParams` say (times in epoch seconds; numbers may come as strings). */
export interface ScheduleParams {
  frequency: 'once' | 'minute' | 'hour' | 'day' | 'week';
  startTime: number | string;
  endTime?: number | string;
  interval?: number | string;
  backfill?: boolean;
}

type RunStatus = 'inProgress' | 'success' | 'failed';

/** The parts of a dataflow (`GET /flows`) the dataflow screens show. */
export interface Flow {
  id: string;
  name: string;
  description?: string;
  state: 'enabled' | 'disabled';
  etag: string;
  createdAt: number;
  updatedAt: number;
  flowSpec: { id: string };
  sourceConnectionIds: string[];
  targetConnectionIds: string[];
  /** Absent for streaming flows, which have no runs. */
  scheduleParams?: ScheduleParams;
  options?: { errorDiagnosticsEnabled?: boolean; partialIngestionPercent?: number };
  inheritedAttributes?: { sourceConnections?: { id: string; connectionSpec: { id: string } }[] };
  lastRunDetails?: { id: string; state?: RunStatus; startedAtUTC?: number; completedAtUTC?: number };
}

interface RecordSummary {
  inputRecordCount: number;
  outputRecordCount: number;
  failedRecordCount?: number;
  skippedRecordCount?: number;
}

/** One error a run reports, in AEP's shape. */
export interface RunError {
  code: string;
  message: string;
  recordCount?: number;
}

/** One stage of a run: `copyActivity` reads the source, `promotionActivity` maps the rows and lands them. */
export interface Activity {
  id: string;
  durationSummary: { startedAtUTC: number; completedAtUTC?: number; extensions?: { windowStart?: number; windowEnd?: number } };
  sizeSummary: { inputBytes: number; outputBytes: number };
  recordSummary: RecordSummary;
  fileSummary: { inputFileCount: number; outputFileCount?: number };
  statusSummary: {
    status: RunStatus;
    errors?: RunError[];
    extensions?: {
      manifest?: { failedRecords?: string };
      streams?: { stream: string; requests: number; pages: number; retries: number; rateLimited: number; records: number; bytes: number }[];
      notices?: { code: string; message: string }[];
    };
  };
  targetInfo?: { reference?: { ids?: string[] } }[];
}

/** The parts of a flow run (`GET /runs`) the screens show. */
export interface Run {
  id: string;
  flowId: string;
  createdAt: number;
  metrics: {
    durationSummary: { startedAtUTC: number; completedAtUTC?: number };
    sizeSummary: { inputBytes: number; outputBytes: number };
    recordSummary: Required<RecordSummary>;
    fileSummary: { inputFileCount: number; outputFileCount: number };
    statusSummary: { status: RunStatus; errors?: RunError[]; extensions?: { stage?: string; percent?: number } };
  };
  activities?: Activity[];
}

export const statusText: Record<RunStatus, string> = { inProgress: 'In progress', success: 'Success', failed: 'Failed' };

/** A flow's source, named by its connection spec (`Local Files`, `Stripe`), from the specs the server offers. */
export function sourceName(flow: Flow, specNames: Map<string, string>): string {
  const specId = flow.inheritedAttributes?.sourceConnections?.[0]?.connectionSpec.id;
  return specId === undefined ? 'Unknown source' : (specNames.get(specId) ?? specId);
}

/** Every connection spec's name by its id. */
export async function readSpecNames(scope: Scope, signal: AbortSignal): Promise<Map<string, string>> {
  const specs = await listAll<{ id: string; name: string }>(scope, '/connectionSpecs', signal);
  return new Map(specs.map((spec) => [spec.id, spec.name]));
}

/** How many of a flow's runs its page shows: a flow that runs every 15 minutes has close to 100 a day. */
export const runsShown = 200;

/** A flow's newest runs, newest first, and whether it has older ones than those. */
export async function readRunsOf(scope: Scope, flowId: string, signal: AbortSignal): Promise<{ runs: Run[]; more: boolean }> {
  const path = `${flowservice}/runs?property=flowId==${encodeURIComponent(flowId)}&orderby=-createdAt&limit=${runsShown}`;
  const body = await request<{ items?: Run[]; _links?: { next?: unknown } }>(scope, 'GET', path, { signal });
  return { runs: body.items ?? [], more: body._links?.next !== undefined };
}

/** Every run started since `since` (epoch ms), of every flow of the sandbox: one listing instead of one per flow. */
export function readRunsSince(scope: Scope, since: number, signal: AbortSignal): Promise<Run[]> {
  return listAll<Run>(scope, `/runs?property=createdAt>=${since}&limit=1000`, signal);
}

export async function readRun(scope: Scope, runId: string, signal?: AbortSignal): Promise<Run> {
  const body = await request<{ items: Run[] }>(scope, 'GET', `${flowservice}/runs/${encodeURIComponent(runId)}`, signal ? { signal } : {});
  const run = body.items[0];
  if (!run) throw new Error(`The server answered no run ${runId}.`);
  return run;
}
