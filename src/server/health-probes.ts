import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Store } from '../store/open-store.js';

/** How long a readiness check may take before it counts as failed: a probe must answer even when a part hangs. */
export const readinessTimeoutMs = 2000;

export interface ProbeDeps {
  store: Store;
  /** The lake's root folder: ready means a file can be written there. */
  lakeRoot: string;
}

type CheckResult = 'ok' | `failed: ${string}`;

/**
 * `GET /healthz`: the process answers (liveness). `GET /readyz`: the metadata store answers a query and the lake
 * takes a file (readiness), 200 when both do and 503 naming the part that failed. Neither needs credentials, as
 * load balancers and orchestrators call them; the log has the details.
 */
export function registerHealthProbes(app: FastifyInstance, deps: ProbeDeps): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', backend: deps.store.backend }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const [store, lake] = await Promise.all([
      check(() => storeAnswers(deps.store), 'the metadata store did not answer', app),
      check(() => lakeTakesFiles(deps.lakeRoot), 'a file cannot be written in the lake', app),
    ]);
    const ready = store === 'ok' && lake === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: { store, lake } });
  });
}

async function storeAnswers(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}

async function lakeTakesFiles(lakeRoot: string): Promise<void> {
  await fs.mkdir(lakeRoot, { recursive: true });
  const probe = path.join(lakeRoot, `.ready-${crypto.randomBytes(6).toString('hex')}`);
  await fs.writeFile(probe, '');
  await fs.rm(probe, { force: true });
}

/** Runs one check within the timeout; the answer says which part failed, the log says why (paths stay private). */
async function check(run: () => Promise<void>, failure: string, app: FastifyInstance): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${readinessTimeoutMs} ms`)), readinessTimeoutMs);
  });
  try {
    await Promise.race([run(), timeout]);
    return 'ok';
  } catch (error) {
    app.log.warn({ err: error }, `readiness: ${failure}`);
    return `failed: ${failure}`;
  } finally {
    clearTimeout(timer);
  }
}
