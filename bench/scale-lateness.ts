/**
 * bench:scale part 2: scheduler lateness with many active flows. `flows` flows (a template created over HTTP,
 * copied in bulk into the store) tick every 15 minutes, their first ticks spread evenly over the 15 minutes from
 * T0. A `serve --no-worker` (the scheduler's seat, no worker: the runs it starts wait in the queue) runs the
 * product's scheduler; for each flow that ticks in the first `windowSeconds` after T0, lateness is its run
 * record's `createdAt` minus its window's end (the grid tick). Then the same Scheduler class runs in this process
 * with timers around its callbacks, to show where a pass over the flows spends its time.
 */
import path from 'node:path';
import { FileRoots } from '../src/connectors/local-files/file-roots.js';
import type { Engine } from '../src/engine/engine.js';
import { RunsRepository } from '../src/engine/runs.repository.js';
import { Scheduler, type SchedulerDeps } from '../src/engine/scheduler.js';
import { MasterKey } from '../src/secrets/master-key.js';
import { SecretBox } from '../src/secrets/secret-box.js';
import { buildApp } from '../src/server/app.js';
import { scheduledRuns } from '../src/services/flowservice/scheduled-runs.js';
import { flowKind } from '../src/store/flow-index.js';
import { ResourcesRepository } from '../src/store/resources.repository.js';
import { startServer, stopServer } from './bench-server.js';
import { percentile } from './http-load.js';
import { createFileFlow, createFlowParts, farFutureStart, paymentsCsvSql, prodScope, scaleEnvironment, withSetupServer, type ScaleEnvironment } from './scale-environment.js';
import { seedFlows } from './scale-seeding.js';
import { DuckDbSession } from '../src/lake/duckdb-session.js';

export interface LatenessOptions {
  flows: number;
  windowSeconds: number;
  /** Seconds from the end of seeding to T0: the server's start and its first pass over the flows fit in it. */
  leadSeconds: number;
}

/** Where one pass of the scheduler spends its time, timed in this process around the scheduler's callbacks. */
export interface PassProfile {
  passMs: number;
  listFlowsMs: number;
  busyChecks: number;
  busyMs: number;
  started: number;
  planMs: number;
  startMs: number;
}

export interface LatenessResult {
  flows: number;
  expected: number;
  measured: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  seedSeconds: number;
  /** Whether T0 was still ahead when the server had started: if not, the first ticks measure the start too. */
  t0AheadOfServerMs: number;
  /** A pass that started the runs due since the server stopped, then a pass with nothing new due. */
  profiles: PassProfile[];
}

const intervalSeconds = 15 * 60;

export async function measureLateness(options: LatenessOptions): Promise<LatenessResult> {
  const environment = await scaleEnvironment('scheduler');
  try {
    const duck = await DuckDbSession.open({ tempDirectory: environment.work });
    await duck.run(paymentsCsvSql(path.join(environment.files, 'small.csv'), 100));
    duck.close();
    const { template, dataSetId } = await withSetupServer(environment, async (client) => {
      const [parts] = await createFlowParts(client, environment.files, 1);
      if (!parts) throw new Error('no flow parts');
      return { template: await createFileFlow(client, parts, 'template', 'small.csv', { frequency: 'once', startTime: farFutureStart }), dataSetId: parts.dataSetId };
    });
    const store = await environment.store();
    const scope = await prodScope(environment);
    const templateFlow = await new ResourcesRepository(store.db).get(flowKind, scope, template);
    if (!templateFlow) throw new Error('the template flow is not in the store');

    const seeding = performance.now();
    const t0 = Math.ceil(Date.now() / 1000) + options.leadSeconds;
    const offsetOf = (i: number) => Math.floor((i * intervalSeconds) / options.flows);
    const flows = await seedFlows(store.db, scope, [{ flow: templateFlow, dataSetId }], options.flows, (i) => ({ frequency: 'minute', interval: 15, startTime: t0 + offsetOf(i), backfill: true }));
    const seedSeconds = (performance.now() - seeding) / 1000;
    const watched = flows.filter((_, i) => offsetOf(i) < options.windowSeconds).map((f) => f.flowId);
    console.log(`  seeded ${options.flows} flows in ${seedSeconds.toFixed(1)} s; ${watched.length} tick in the ${options.windowSeconds} s after T0`);

    const { child } = await startServer(environment.dataDir, environment.env, ['--no-worker']);
    const t0AheadOfServerMs = t0 * 1000 - Date.now();
    const runs = new RunsRepository(store.db);
    try {
      // Every watched flow's run, or a minute past the window's end: a run that never starts is reported, not waited for.
      const deadline = (t0 + options.windowSeconds + 60) * 1000;
      while (Date.now() < deadline && (await runs.lastRuns(scope, watched)).size < watched.length) await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await stopServer(child);
    }
    const lateness = [...(await runs.lastRuns(scope, watched)).values()].map((run) => {
      const body = run.body as { createdAt: number; activities: { durationSummary: { extensions?: { windowEnd?: number } } }[] };
      const windowEnd = body.activities[0]?.durationSummary.extensions?.windowEnd ?? Number.NaN;
      return body.createdAt - windowEnd;
    });
    const profiles = await profilePasses(environment);
    return {
      flows: options.flows,
      expected: watched.length,
      measured: lateness.length,
      p50Ms: percentile(lateness, 0.5),
      p99Ms: percentile(lateness, 0.99),
      maxMs: Math.max(...lateness),
      seedSeconds,
      t0AheadOfServerMs,
      profiles,
    };
  } finally {
    await environment.dispose();
  }
}

/**
 * Two passes of the product's Scheduler, in this process on the same store, with a timer around each callback the
 * scheduler is built from (its flows, its busy check, a run's plan and its start). The first pass starts what came
 * due since the server stopped; the second finds nothing new due, so it is the cost of looking at every flow.
 */
async function profilePasses(environment: ScaleEnvironment): Promise<PassProfile[]> {
  const masterKey = MasterKey.fromSecret(String(environment.env.TRIBUTARY_SECRET_KEY));
  const store = await environment.store();
  const db = store.db;
  const app = await buildApp({ store, masterKey, dataDir: environment.dataDir, fileRoots: [environment.files], runs: { worker: false } });
  try {
    const flowSide = scheduledRuns({ db, secretBox: new SecretBox(masterKey), fileRoots: new FileRoots([environment.files], environment.dataDir) });
    const profiles: PassProfile[] = [];
    for (let pass = 0; pass < 2; pass += 1) {
      const profile: PassProfile = { passMs: 0, listFlowsMs: 0, busyChecks: 0, busyMs: 0, started: 0, planMs: 0, startMs: 0 };
      const timed = <A extends unknown[], R>(work: (...args: A) => Promise<R>, add: (ms: number) => void) => async (...args: A): Promise<R> => {
        const began = performance.now();
        try {
          return await work(...args);
        } finally {
          add(performance.now() - began);
        }
      };
      const engine: Pick<Engine, 'isBusy' | 'start'> = {
        isBusy: timed((scope, flowId) => app.engine.isBusy(scope, flowId), (ms) => ((profile.busyChecks += 1), (profile.busyMs += ms))),
        start: timed((plan, options) => app.engine.start(plan, options), (ms) => ((profile.started += 1), (profile.startMs += ms))),
      };
      const deps: SchedulerDeps = {
        clock: { now: Date.now },
        db,
        engine,
        listFlows: timed(flowSide.listFlows, (ms) => (profile.listFlowsMs += ms)),
        planRun: timed(flowSide.planRun, (ms) => (profile.planMs += ms)),
      };
      const began = performance.now();
      await new Scheduler(deps).tick();
      profile.passMs = performance.now() - began;
      profiles.push(profile);
    }
    return profiles;
  } finally {
    await app.server.close();
  }
}
