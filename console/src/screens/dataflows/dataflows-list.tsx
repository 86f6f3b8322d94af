import { useMemo, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { listAll, type Scope } from '../../api/client.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { readRunsSince, readSpecNames, sourceName, statusText, type Flow } from './flow-wire.js';
import { countText } from './quantity-text.js';
import { timeText } from '../../ui/time-text.js';
import { nextRunText } from './schedule-text.js';
import './dataflows.css';
import { ScreenTitle, SearchBox } from '../../ui/screen-title.js';

const day = 86_400_000;

interface Dataflows {
  flows: Flow[];
  specNames: Map<string, string>;
  /** Records written by each flow's runs started in the 24 hours before `now`, by flow id. */
  writtenLastDay: Map<string, number>;
  now: number;
}

/** Three listings whatever the number of flows: the flows, the connection specs, and the last day's runs of all of them. */
async function readDataflows(scope: Scope, signal: AbortSignal): Promise<Dataflows> {
  const now = Date.now();
  const [flows, specNames, runs] = await Promise.all([listAll<Flow>(scope, '/flows', signal), readSpecNames(scope, signal), readRunsSince(scope, now - day, signal)]);
  const writtenLastDay = new Map<string, number>();
  for (const run of runs) writtenLastDay.set(run.flowId, (writtenLastDay.get(run.flowId) ?? 0) + run.metrics.recordSummary.outputRecordCount);
  return { flows: flows.sort((a, b) => a.name.localeCompare(b.name)), specNames, writtenLastDay, now };
}

/** The sandbox's dataflows: source, state, last run, next run and what they wrote in the last day. */
export function DataflowsList({ scope }: { scope: Scope }) {
  const loaded = useApi(scope, readDataflows);
  const [search, setSearch] = useState('');
  return (
    <section aria-labelledby="dataflows-title" class="dataflows">
      <ScreenTitle id="dataflows-title" title="Dataflows" loaded={loaded} />
      <SearchBox label="Filter dataflows" value={search} onChange={setSearch} placeholder="Name or source" />
      <LoadedView loaded={loaded} what="the dataflows">
        {(data) => <FlowTable data={data} search={search} />}
      </LoadedView>
    </section>
  );
}

function FlowTable({ data, search }: { data: Dataflows; search: string }) {
  const shown = useMemo(() => {
    const wanted = search.trim().toLowerCase();
    return data.flows.filter((flow) => wanted === '' || `${flow.name} ${sourceName(flow, data.specNames)}`.toLowerCase().includes(wanted));
  }, [data, search]);
  if (data.flows.length === 0) {
    return (
      <p class="empty">
        This sandbox has no dataflows yet. Start one from the <Link href="/sources">sources catalog</Link>.
      </p>
    );
  }
  if (shown.length === 0) return <p class="empty">No dataflow matches “{search}”.</p>;
  return (
    <table class="grid" aria-labelledby="dataflows-title">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Source</th>
          <th scope="col">State</th>
          <th scope="col">Last run status</th>
          <th scope="col">Last run</th>
          <th scope="col">Next run</th>
          <th scope="col" class="number">
            Records written (24 h)
          </th>
        </tr>
      </thead>
      <tbody>
        {shown.map((flow) => {
          const last = flow.lastRunDetails;
          return (
            <tr key={flow.id}>
              <th scope="row">
                <Link href={`/flows/${flow.id}`}>{flow.name}</Link>
              </th>
              <td>{sourceName(flow, data.specNames)}</td>
              <td>
                <span class={`badge ${flow.state}`}>{flow.state === 'enabled' ? 'Enabled' : 'Disabled'}</span>
              </td>
              <td>{last?.state ? <span class={`badge ${last.state}`}>{statusText[last.state]}</span> : <span class="hint">Never run</span>}</td>
              <td>{last ? timeText(last.startedAtUTC) : '—'}</td>
              <td>{nextRunText(flow, data.now)}</td>
              <td class="number">{countText(data.writtenLastDay.get(flow.id) ?? 0)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
