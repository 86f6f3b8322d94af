import { Type } from 'typebox';
import { Check } from 'typebox/value';
import { RunAnswer } from '../services/flowservice/flow-answers.schema.js';
import { AccessTokens } from '../services/ims/access-tokens.js';
import { RunProgress } from './run-progress.js';
import { openRuntime } from './runtime.js';
import { runningServerUrl } from './server-address.js';

export interface RunOptions {
  wait?: boolean;
  /** Print the run (as the runs API answers it) as JSON on stdout instead of text; progress stays on stderr. */
  json?: boolean;
  url?: string;
  dataDir?: string;
}

/** How often a waiting run is looked at: the server saves its progress about once a second. */
const pollMs = 250;

/** What `POST /runs` answers. */
const RunStarted = Type.Object({ id: Type.String() });

/** `GET /runs/{id}`: the run, as a list of one. */
const RunLookup = Type.Object({ items: Type.Tuple([RunAnswer]) });

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
  const started = await call('POST', '/runs', { flowId });
  if (!Check(RunStarted, started)) throw new Error(`the server at ${base} did not answer a run id for flow ${flowId}`);
  const { id } = started;
  if (!options.wait) {
    process.stdout.write(options.json ? `${JSON.stringify({ id, status: 'inProgress' })}\n` : `run ${id} started\n`);
    return;
  }
  if (!options.json) process.stdout.write(`run ${id} started\n`);
  const progress = new RunProgress(process.stderr, Date.now());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const answer = await call('GET', `/runs/${id}`);
    // A server of another version could answer another shape: say so rather than draw nonsense.
    if (!Check(RunLookup, answer)) throw new Error(`the server at ${base} answered run ${id} in a shape this tributary does not know; are both the same version?`);
    const [run] = answer.items;
    progress.show(run);
    const { status, errors } = run.metrics.statusSummary;
    if (status === 'inProgress') continue;
    progress.finish();
    for (const error of errors) process.stderr.write(`  ${error.code}: ${error.message}\n`);
    process.stdout.write(options.json ? `${JSON.stringify(run)}\n` : `run ${id} ${status}\n`);
    if (status !== 'success') process.exitCode = 1;
    return;
  }
}
