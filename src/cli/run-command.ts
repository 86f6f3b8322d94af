import { AccessTokens } from '../services/ims/access-tokens.js';
import { openRuntime } from './runtime.js';

export interface RunOptions {
  wait?: boolean;
  url?: string;
  dataDir?: string;
}

interface RunRecord {
  metrics?: {
    recordSummary?: { inputRecordCount?: number; outputRecordCount?: number; failedRecordCount?: number };
    sizeSummary?: { inputBytes?: number; outputBytes?: number };
    statusSummary?: { status?: string; errors?: { code: string; message: string }[] };
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
  const base = (options.url ?? `http://127.0.0.1:${config.port}`).replace(/\/$/, '');
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
  process.stdout.write(`run ${id} started\n`);
  if (!options.wait) return;
  const started = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { items } = (await call('GET', `/runs/${id}`)) as { items: RunRecord[] };
    const metrics = items[0]?.metrics;
    const status = metrics?.statusSummary?.status ?? 'unknown';
    process.stderr.write(`\r${progressLine(status, metrics, Date.now() - started)}`);
    if (status === 'inProgress' || status === 'queued') continue;
    process.stderr.write('\n');
    for (const error of metrics?.statusSummary?.errors ?? []) process.stderr.write(`  ${error.code}: ${error.message}\n`);
    process.stdout.write(`run ${id} ${status}\n`);
    if (status !== 'success') process.exitCode = 1;
    return;
  }
}

function progressLine(status: string, metrics: RunRecord['metrics'], elapsedMs: number): string {
  const records = metrics?.recordSummary;
  const bytes = metrics?.sizeSummary?.inputBytes ?? 0;
  const stage = status !== 'inProgress' ? status : (records?.inputRecordCount ?? 0) > 0 ? 'mapping and writing' : 'reading the source';
  const width = 20;
  const done = status === 'inProgress' ? Math.min(width - 1, Math.floor(elapsedMs / 500) % width) : width;
  const bar = `${'='.repeat(done)}${'>'.repeat(done < width ? 1 : 0)}${' '.repeat(Math.max(0, width - done - 1))}`;
  return `[${bar}] ${stage}: ${records?.inputRecordCount ?? 0} rows read, ${records?.outputRecordCount ?? 0} landed, ${records?.failedRecordCount ?? 0} rejected, ${(bytes / 1024 / 1024).toFixed(1)} MB  `;
}
