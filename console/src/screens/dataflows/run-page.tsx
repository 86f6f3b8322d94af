import { Link } from 'wouter-preact';
import { flowservice, request, type Scope } from '../../api/client.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { statusText, type Activity, type Flow, type Run, type RunError } from './flow-wire.js';
import { bytesText, countText, durationText } from './quantity-text.js';
import { timeText } from '../../ui/time-text.js';
import { RejectedRows } from './rejected-rows.js';
import { usePolledRun } from './use-polled-run.js';
import './dataflows.css';

/** The engine's stages, as a person reads them. */
const stageNames: Record<string, string> = {
  queued: 'Waiting for a worker',
  extracting: 'Reading the source',
  reading: 'Reading the rows',
  writing: 'Mapping, checking and writing the rows',
  committing: 'Committing the batch',
};

const activityNames: Record<string, string> = {
  copyActivity: 'Copy: reading the source',
  promotionActivity: 'Promotion: mapping the rows and landing them',
};

/** One run: its progress while it runs, its activities, its errors and its rejected rows. */
export function RunPage({ scope, id }: { scope: Scope; id: string }) {
  const loaded = usePolledRun(scope, id);
  return (
    <section aria-labelledby="run-title" class="dataflows">
      <LoadedView loaded={loaded} what="the run">
        {(run) => <RunView scope={scope} run={run} />}
      </LoadedView>
    </section>
  );
}

function FlowCrumb({ scope, flowId }: { scope: Scope; flowId: string }) {
  const flow = useApi(scope, (s, signal) => request<{ items: Flow[] }>(s, 'GET', `${flowservice}/flows/${encodeURIComponent(flowId)}`, { signal }), [flowId]);
  // While the name loads, or if it cannot be read, the link still leads to the flow.
  const name = flow.status === 'ready' ? (flow.data.items[0]?.name ?? flowId) : 'its dataflow';
  return (
    <p class="crumbs">
      <Link href="/flows">Dataflows</Link> › <Link href={`/flows/${flowId}`}>{name}</Link> ›
    </p>
  );
}

function RunView({ scope, run }: { scope: Scope; run: Run }) {
  const { durationSummary: duration, recordSummary: records, statusSummary: status, sizeSummary: size, fileSummary: files } = run.metrics;
  const promotion = run.activities?.find((a) => a.id === 'promotionActivity');
  const manifest = promotion?.statusSummary.extensions?.manifest?.failedRecords;
  const running = status.status === 'inProgress';
  const stage = status.extensions?.stage;
  return (
    <>
      <FlowCrumb scope={scope} flowId={run.flowId} />
      <div class="title-row">
        <h1 id="run-title">Run of {timeText(duration.startedAtUTC)}</h1>
      </div>
      <p class="run-status" aria-live="polite">
        Status: <span class={`badge ${status.status}`}>{statusText[status.status]}</span>
      </p>
      {running ? (
        <div class="progress">
          <label>
            {stage ? (stageNames[stage] ?? stage) : 'Starting'}
            {status.extensions?.percent !== undefined ? ` (${status.extensions.percent}%)` : ''}
            <progress max={100} {...(status.extensions?.percent !== undefined ? { value: status.extensions.percent } : {})} />
          </label>
          <p class="hint">This page follows the run until it ends.</p>
        </div>
      ) : null}
      <dl class="facts">
        <dt>Started</dt>
        <dd>{timeText(duration.startedAtUTC)}</dd>
        <dt>Ended</dt>
        <dd>{duration.completedAtUTC === undefined ? 'Still running' : `${timeText(duration.completedAtUTC)} (took ${durationText(duration.completedAtUTC - duration.startedAtUTC)})`}</dd>
        <dt>Records read</dt>
        <dd>{countText(records.inputRecordCount)}</dd>
        <dt>Records written</dt>
        <dd>{countText(records.outputRecordCount)}</dd>
        <dt>Records failed</dt>
        <dd>{countText(records.failedRecordCount)}</dd>
        {records.skippedRecordCount > 0 ? (
          <>
            <dt>Records skipped</dt>
            <dd>{countText(records.skippedRecordCount)}</dd>
          </>
        ) : null}
        <dt>Size</dt>
        <dd>
          {bytesText(size.inputBytes)} read, {bytesText(size.outputBytes)} written
        </dd>
        <dt>Files</dt>
        <dd>
          {countText(files.inputFileCount)} read, {countText(files.outputFileCount)} written
        </dd>
        <dt>Run id</dt>
        <dd>
          <code>{run.id}</code>
        </dd>
      </dl>
      <section aria-labelledby="errors-title">
        <h2 id="errors-title">Errors</h2>
        <Errors errors={status.errors ?? []} />
      </section>
      <section aria-labelledby="rejected-title">
        <h2 id="rejected-title">Rejected rows</h2>
        {running ? (
          <p class="hint">Known when the run ends.</p>
        ) : records.failedRecordCount === 0 ? (
          <p class="empty">No row was rejected.</p>
        ) : manifest ? (
          <RejectedRows scope={scope} manifest={manifest} runId={run.id} failed={records.failedRecordCount} />
        ) : (
          <p class="empty">
            {countText(records.failedRecordCount)} row{records.failedRecordCount === 1 ? ' was' : 's were'} rejected but not kept: error diagnostics are off for this
            flow (<code>options.errorDiagnosticsEnabled</code>).
          </p>
        )}
      </section>
      <section aria-labelledby="activities-title">
        <h2 id="activities-title">Activities</h2>
        {(run.activities ?? []).map((activity) => (
          <ActivityView key={activity.id} activity={activity} />
        ))}
      </section>
    </>
  );
}

function Errors({ errors }: { errors: RunError[] }) {
  if (errors.length === 0) return <p class="empty">No errors.</p>;
  return (
    <ul class="errors">
      {errors.map((error, index) => (
        <li key={index}>
          <code>{error.code}</code> {error.message}
          {error.recordCount !== undefined ? ` (${countText(error.recordCount)} record${error.recordCount === 1 ? '' : 's'})` : ''}
        </li>
      ))}
    </ul>
  );
}

function ActivityView({ activity }: { activity: Activity }) {
  const { recordSummary: records, sizeSummary: size, fileSummary: files, durationSummary: duration, statusSummary: status } = activity;
  const window = duration.extensions;
  const streams = status.extensions?.streams ?? [];
  const notices = status.extensions?.notices ?? [];
  const titleId = `activity-${activity.id}`;
  return (
    <section aria-labelledby={titleId} class="activity">
      <h3 id={titleId}>{activityNames[activity.id] ?? activity.id}</h3>
      <dl class="facts">
        <dt>Status</dt>
        <dd>{statusText[status.status]}</dd>
        <dt>Records</dt>
        <dd>
          {countText(records.inputRecordCount)} in, {countText(records.outputRecordCount)} out
          {records.failedRecordCount !== undefined ? `, ${countText(records.failedRecordCount)} failed` : ''}
          {records.skippedRecordCount ? `, ${countText(records.skippedRecordCount)} skipped` : ''}
        </dd>
        <dt>Size</dt>
        <dd>
          {bytesText(size.inputBytes)} in, {bytesText(size.outputBytes)} out
        </dd>
        <dt>Files</dt>
        <dd>
          {countText(files.inputFileCount)} in{files.outputFileCount !== undefined ? `, ${countText(files.outputFileCount)} out` : ''}
        </dd>
        {window?.windowEnd !== undefined ? (
          <>
            <dt>Window</dt>
            <dd>
              {window.windowStart ? `${timeText(window.windowStart)} to ` : 'Everything up to '}
              {timeText(window.windowEnd)}
            </dd>
          </>
        ) : null}
      </dl>
      {streams.length > 0 ? (
        <table class="grid" aria-label={`Streams read by ${activity.id}`}>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col" class="number">
                Requests
              </th>
              <th scope="col" class="number">
                Pages
              </th>
              <th scope="col" class="number">
                Retries
              </th>
              <th scope="col" class="number">
                Rate-limited
              </th>
              <th scope="col" class="number">
                Records
              </th>
              <th scope="col" class="number">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {streams.map((stream) => (
              <tr key={stream.stream}>
                <th scope="row">{stream.stream}</th>
                <td class="number">{countText(stream.requests)}</td>
                <td class="number">{countText(stream.pages)}</td>
                <td class="number">{countText(stream.retries)}</td>
                <td class="number">{countText(stream.rateLimited)}</td>
                <td class="number">{countText(stream.records)}</td>
                <td class="number">{bytesText(stream.bytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {notices.length > 0 ? (
        <ul class="notices">
          {notices.map((notice) => (
            <li key={notice.code}>
              <code>{notice.code}</code> {notice.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
