import { useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { flowservice, request, type Scope } from '../api/client.js';
import { ProblemNotice } from '../ui/states.js';
import { timeText } from '../ui/time-text.js';
import type { Account } from './account-step.js';
import type { Selection } from './data-step.js';
import type { MappingRule } from './mapping-step.js';
import type { Schedule } from './schedule-step.js';
import { dataLakeSpecId, type ConnectionSpec, type FlowSpec } from './specs.js';
import type { Target } from './target-step.js';

export interface Choices {
  account: Account;
  selection: Selection;
  target: Target;
  rules: MappingRule[];
  schedule: Schedule;
}

/** What a source connection's params take for the chosen file, folder or table. */
function sourceConnection(spec: ConnectionSpec, choices: Choices, name: string) {
  const { entry, format } = choices.selection;
  return {
    name,
    baseConnectionId: choices.account.id,
    data: { format },
    params: entry.type === 'table' ? { tableName: entry.path } : { path: entry.path },
    connectionSpec: { id: spec.id, version: '1.0' },
  };
}

/** Step 6: everything chosen, then the source connection, target connection, mapping set and flow, in that order. */
export function ReviewStep({ scope, spec, flowSpec, choices }: { scope: Scope; spec: ConnectionSpec; flowSpec: FlowSpec; choices: Choices }) {
  const [name, setName] = useState(`${spec.name}: ${choices.selection.entry.name} to ${choices.target.name}`);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [, navigate] = useLocation();
  const { schedule } = choices;

  const create = async () => {
    setBusy(true);
    setError(undefined);
    const steps: string[] = [];
    const step = async <T,>(what: string, work: () => Promise<T>): Promise<T> => {
      const result = await work();
      steps.push(what);
      setDone([...steps]);
      return result;
    };
    try {
      const source = await step('source connection', () => request<{ id: string }>(scope, 'POST', `${flowservice}/sourceConnections`, { body: sourceConnection(spec, choices, `${name} (source)`) }));
      const target = await step('target connection', () =>
        request<{ id: string }>(scope, 'POST', `${flowservice}/targetConnections`, {
          body: { name: `${name} (target)`, data: { schema: { id: choices.target.schemaId, version: 'application/vnd.adobe.xed-full+json;version=1.0' } }, params: { dataSetId: choices.target.dataSetId }, connectionSpec: { id: dataLakeSpecId, version: '1.0' } },
        }),
      );
      const mapping = await step('mapping set', () =>
        request<{ id: string }>(scope, 'POST', '/data/foundation/conversion/mappingSets', {
          body: { name: `${name} (mapping)`, outputSchema: { schemaRef: { id: choices.target.schemaId, contentType: 'application/vnd.adobe.xed-full+json;version=1' } }, mappings: choices.rules },
        }),
      );
      const flow = await step('dataflow', () =>
        request<{ id: string }>(scope, 'POST', `${flowservice}/flows`, {
          body: {
            name,
            flowSpec: { id: flowSpec.id, version: '1.0' },
            sourceConnectionIds: [source.id],
            targetConnectionIds: [target.id],
            transformations: [...(schedule.deltaColumn ? [{ name: 'Copy', params: { deltaColumn: { name: schedule.deltaColumn } } }] : []), { name: 'Mapping', params: { mappingId: mapping.id, mappingVersion: 0 } }],
            scheduleParams: { startTime: schedule.startTime, frequency: schedule.frequency, ...(schedule.interval !== undefined ? { interval: schedule.interval } : {}), ...(schedule.backfill !== undefined ? { backfill: schedule.backfill } : {}) },
          },
        }),
      );
      navigate(`/flows/${flow.id}`);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">Review</h2>
      <dl class="facts">
        <dt>Account</dt>
        <dd>{choices.account.name}</dd>
        <dt>Data</dt>
        <dd>
          {choices.selection.entry.path} ({choices.selection.format}, {choices.selection.columns.length} columns)
        </dd>
        <dt>Dataset</dt>
        <dd>{choices.target.name}</dd>
        <dt>Mapping</dt>
        <dd>
          <ul>
            {choices.rules.map((rule) => (
              <li key={`${rule.source}->${rule.destination}`}>
                <code>{rule.source}</code> → <code>{rule.destination}</code>
              </li>
            ))}
          </ul>
        </dd>
        <dt>Schedule</dt>
        <dd>
          {schedule.frequency === 'once' ? 'once' : `every ${schedule.interval} ${schedule.frequency}(s)`}, from {timeText(schedule.startTime * 1000)}
          {schedule.deltaColumn ? `, new rows by ${schedule.deltaColumn}` : ''}
        </dd>
      </dl>
      <label>
        Dataflow name
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <button type="button" disabled={busy || name.trim() === ''} onClick={() => void create()}>
        Create the dataflow
      </button>
      {done.length > 0 ? <p class="status" role="status">Created: {done.join(', ')}.</p> : null}
      {error ? <ProblemNotice error={error} /> : null}
    </section>
  );
}
