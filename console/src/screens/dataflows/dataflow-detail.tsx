import { useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { flowservice, request, type Scope } from '../../api/client.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { FlowActions } from './flow-actions.js';
import { readRunsOf, readSpecNames, runsShown, sourceName, statusText, type Flow, type Run } from './flow-wire.js';
import { countText, durationText } from './quantity-text.js';
import { timeText } from '../../ui/time-text.js';
import { RunsChart, runsCharted } from './runs-chart.js';
import { nextRunText, scheduleText } from './schedule-text.js';
import './dataflows.css';

interface FlowPage {
  flow: Flow;
  runs: Run[];
  moreRuns: boolean;
  source: string;
  /** The dataset the flow lands in, from its target connection. */
  dataSetId: string | undefined;
}

async function readFlowPage(scope: Scope, id: string, signal: AbortSignal): Promise<FlowPage> {
  const [answer, { runs, more }, specNames] = await Promise.all([
    request<{ items: Flow[] }>(scope, 'GET', `${flowservice}/flows/${encodeURIComponent(id)}`, { signal }),
    readRunsOf(scope, id, signal),
    readSpecNames(scope, signal),
  ]);
  const flow = answer.items[0];
  if (!flow) throw new Error(`The server answered no dataflow ${id}.`);
  const targetId = flow.targetConnectionIds[0];
  const target = targetId
    ? await request<{ items: { params?: { dataSetId?: string } }[] }>(scope, 'GET', `${flowservice}/targetConnections/${encodeURIComponent(targetId)}`, { signal })
    : undefined;
  return { flow, runs, moreRuns: more, source: sourceName(flow, specNames), dataSetId: target?.items[0]?.params?.dataSetId };
}

/** One dataflow: its facts, its actions, a chart of its runs' records and the runs themselves. */
export function DataflowDetail({ scope, id }: { scope: Scope; id: string }) {
  const loaded = useApi(scope, (s, signal) => readFlowPage(s, id, signal), [id]);
  return (
    <section aria-labelledby="flow-title" class="dataflows">
      <p class="crumbs">
        <Link href="/flows">Dataflows</Link> ›
      </p>
      <LoadedView loaded={loaded} what="the dataflow">
        {(page) => <FlowView key={page.flow.id} scope={scope} page={page} reload={loaded.reload} />}
      </LoadedView>
    </section>
  );
}

function FlowView({ scope, page, reload }: { scope: Scope; page: FlowPage; reload: () => void }) {
  // After an action the flow is read again on its own, so the page (and the focused button) stays in place.
  const [flow, setFlow] = useState(page.flow);
  const { runs } = page;
  const running = runs.some((run) => run.metrics.statusSummary.status === 'inProgress');
  const last = flow.lastRunDetails;
  return (
    <>
      <div class="title-row">
        <h1 id="flow-title">{flow.name}</h1>
        <span class={`badge ${flow.state}`}>{flow.state === 'enabled' ? 'Enabled' : 'Disabled'}</span>
        <button type="button" class="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      {flow.description ? <p>{flow.description}</p> : null}
      <FlowActions scope={scope} flow={flow} running={running} changed={setFlow} />
      <dl class="facts">
        <dt>Source</dt>
        <dd>{page.source}</dd>
        <dt>Target dataset</dt>
        <dd>{page.dataSetId ? <code>{page.dataSetId}</code> : '—'}</dd>
        <dt>Schedule</dt>
        <dd>{scheduleText(flow.scheduleParams)}</dd>
        <dt>Next run</dt>
        <dd>{nextRunText(flow, Date.now())}</dd>
        <dt>Last run</dt>
        <dd>
          {last ? (
            <>
              <Link href={`/runs/${last.id}`}>{last.state ? statusText[last.state] : 'Run'}</Link>, {timeText(last.startedAtUTC)}
            </>
          ) : (
            'Never run'
          )}
        </dd>
        <dt>Rejected rows</dt>
        <dd>
          {flow.options?.partialIngestionPercent ? `Up to ${flow.options.partialIngestionPercent}% allowed` : 'None allowed: one fails the run'}
          {'; '}
          {flow.options?.errorDiagnosticsEnabled ? 'kept for download (error diagnostics on)' : 'not kept (error diagnostics off)'}
        </dd>
        <dt>Flow id</dt>
        <dd>
          <code>{flow.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>{timeText(flow.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{timeText(flow.updatedAt)}</dd>
      </dl>
      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        {runs.length === 0 ? (
          <p class="empty">This flow has not run yet.</p>
        ) : (
          <>
            <RunsChart runs={runs} />
            {runs.length > runsCharted ? <p class="hint">The chart shows the newest {runsCharted} runs.</p> : null}
            {page.moreRuns ? <p class="hint">The list shows the newest {runsShown} runs.</p> : null}
            <RunsTable runs={runs} />
          </>
        )}
      </section>
    </>
  );
}

function RunsTable({ runs }: { runs: Run[] }) {
  return (
    <table class="grid" aria-label="Runs, newest first">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col" class="number">
            Read
          </th>
          <th scope="col" class="number">
            Written
          </th>
          <th scope="col" class="number">
            Failed
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const { durationSummary: duration, recordSummary: records, statusSummary: status } = run.metrics;
          return (
            <tr key={run.id}>
              <th scope="row">
                <Link href={`/runs/${run.id}`}>{timeText(duration.startedAtUTC)}</Link>
              </th>
              <td>
                <span class={`badge ${status.status}`}>{statusText[status.status]}</span>
              </td>
              <td>{duration.completedAtUTC === undefined ? 'running' : durationText(duration.completedAtUTC - duration.startedAtUTC)}</td>
              <td class="number">{countText(records.inputRecordCount)}</td>
              <td class="number">{countText(records.outputRecordCount)}</td>
              <td class="number">{countText(records.failedRecordCount)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
