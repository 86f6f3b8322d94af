import { AccessTokens } from '../services/ims/access-tokens.js';
import { openRuntime } from './runtime.js';
import { runningServerUrl } from './server-address.js';

export interface RunOptions {
  wait?: boolean;
  /** Print the run (as the runs API answers it) as JSON on stdout instead of text; progress stays on stderr. */
  json?: boolean;
  url?: string;
  dataDir?: string;
}

interface RunRecord {
  metrics?: {
    recordSummary?: { inputRecordCount?: number; outputRecordCount?: number; failedRecordCount?: number };
    sizeSummary?: { inputBytes?: number; outputBytes?: number };
    statusSummary?: { status?: string; errors?: { code: string; message: string }[]; extensions?: { stage?: string; percent?: number } };
  };
}

/**
 * `tributary run <flowId> [--wait]`: asks the running server to run a flow now. The CLI reads the data directory
 * to find the flow's org and sandbox and signs a short-lived token with the instance key, so no secret is typed.
 */
export async function runCommand(flowId: string, options: RunOptions): Promise<void> {
  const { config, store, masterKey } = await openRuntime({ dataDir: options.dataDir });
  let auth: Record<string, string>;
  try {
    const flow = await store.db.selectFrom('resources').select(['org_id', 'sandbox_id']).where('kind', '=', 'flowservice.flow').where('id', '=', flowId).executeTakeFirst();
    if (!flow) throw new Error(`no flow ${flowId} in ${config.dataDir}`);
    const client = await store.db.selectFrom('api_clients').select('client_id').where('org_id', '=', flow.org_id).orderBy('created_at').executeTakeFirst();
    if (!client) throw new Error(`the org of flow ${flowId} has no API client; create one with "tributary credentials create"`);
    const token = await new AccessTokens(masterKey, 600, Date.now).issue({ clientId: client.client_id, orgId: flow.org_id });
    auth = { authorization: `Bearer ${token}`, 'x-api-key': client.client_id, 'x-gw-ims-org-id': flow.org_id, 'x-sandbox-id': flow.sandbox_id };
  } finally {
    await store.close();
  }
  // A server started on this data directory says where it listens; --url is for one elsewhere.
  const base = (options.url ?? runningServerUrl(config.dataDir) ?? `http://127.0.0.1:${config.port}`).replace(/\/$/, '');
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}/data/foundation/flowservice${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((error: unknown) => {
      throw new Error(`cannot reach Tributary at ${base} (${error instanceof Error ? error.message : String(error)}); start it with "npm start" or pass --url`);
    });
    const json = (await response.json()) as { detail?: string; message?: string };
    if (response.status >= 300) throw new Error(json.detail ?? json.message ?? `${method} ${path} answered ${response.status}`);
    return json;
  };
  const { id } = (await call('POST', '/runs', { flowId })) as { id: string };
  if (!options.wait) {
    process.stdout.write(options.json ? `${JSON.stringify({ id, status: 'inProgress' })}\n` : `run ${id} started\n`);
    return;
  }
  if (!options.json) process.stdout.write(`run ${id} started\n`);
  const started = Date.now();
  let lastStatus: string | undefined;
  let lastStage: string | undefined;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { items } = (await call('GET', `/runs/${id}`)) as { items: RunRecord[] };
    const metrics = items[0]?.metrics;
    const status = metrics?.statusSummary?.status ?? 'unknown';
    if (process.stderr.isTTY) process.stderr.write(`\r${progressLine(status, metrics, Date.now() - started)}`);
    else if (status !== lastStatus || metrics?.statusSummary?.extensions?.stage !== lastStage) process.stderr.write(`${progressLine(status, metrics, Date.now() - started)}\n`);
    lastStatus = status;
    lastStage = metrics?.statusSummary?.extensions?.stage;
    if (status === 'inProgress' || status === 'queued') continue;
    if (process.stderr.isTTY) process.stderr.write('\n');
    for (const error of metrics?.statusSummary?.errors ?? []) process.stderr.write(`  ${error.code}: ${error.message}\n`);
    process.stdout.write(options.json ? `${JSON.stringify(items[0])}\n` : `run ${id} ${status}\n`);
    if (status !== 'success') process.exitCode = 1;
    return;
  }
}

/** The stages in order, each with its share of the bar (writing is most of a run). */
const stages: [name: string, label: string, from: number, to: number][] = [
  ['extracting', 'reading the source', 0, 5],
  ['reading', 'reading the columns', 5, 10],
  ['writing', 'mapping and writing', 10, 95],
  ['committing', 'committing', 95, 100],
];

function progressLine(status: string, metrics: RunRecord['metrics'], elapsedMs: number): string {
  const records = metrics?.recordSummary;
  const bytes = metrics?.sizeSummary?.inputBytes ?? 0;
  const current = stages.find(([name]) => name === metrics?.statusSummary?.extensions?.stage);
  const running = status === 'inProgress' || status === 'queued';
  const share = running ? (current ? current[2] + ((current[3] - current[2]) * (metrics?.statusSummary?.extensions?.percent ?? 0)) / 100 : 0) : 100;
  const width = 24;
  const done = Math.round((share / 100) * width);
  const bar = `${'='.repeat(done)}${running && done < width ? '>' : ''}`.padEnd(width, ' ');
  const label = running ? (current?.[1] ?? 'starting') : status;
  const seconds = (elapsedMs / 1000).toFixed(0);
  return `[${bar}] ${label.padEnd(19)} ${records?.inputRecordCount ?? 0} rows read, ${records?.outputRecordCount ?? 0} landed, ${records?.failedRecordCount ?? 0} rejected, ${(bytes / 1024 / 1024).toFixed(1)} MB, ${seconds}s  `;
}
