import { useState } from 'preact/hooks';
import { request, type Scope } from '../api/client.js';
import { useApi } from '../state/use-api.js';
import { lazyScreen } from '../ui/lazy-screen.js';
import { LoadedView } from '../ui/states.js';

export interface Target {
  dataSetId: string;
  name: string;
  schemaId: string;
}

interface CatalogDataSet {
  name?: string;
  schemaRef?: { id?: string };
}

// The composer comes with the Schemas screens' chunk, on first use: the wizard's first load carries none of it.
const SchemaComposer = lazyScreen(() => import('../screens/schemas/schema-composer.js').then((m) => m.SchemaComposer), 'the schema composer');

const readDataSets = (scope: Scope, signal: AbortSignal) =>
  request<Record<string, CatalogDataSet>>(scope, 'GET', '/data/foundation/catalog/dataSets?limit=100&properties=name,schemaRef', { signal }).then((byId) =>
    Object.entries(byId)
      .filter(([, d]) => typeof d.schemaRef?.id === 'string')
      .map(([dataSetId, d]) => ({ dataSetId, name: d.name ?? dataSetId, schemaId: d.schemaRef?.id as string }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );

/** Step 3: the dataset the rows land in, with its XDM schema: one that exists, or a new one on a new schema. */
export function TargetStep({ scope, onChosen }: { scope: Scope; onChosen: (target: Target) => void }) {
  const [choice, setChoice] = useState<'existing' | 'new'>('existing');
  return (
    <section aria-labelledby="target-title">
      <h2 id="target-title">Target dataset</h2>
      <fieldset class="target-choice">
        <legend class="sr-only">Where the rows land</legend>
        <label class="checkbox">
          <input type="radio" name="target-choice" checked={choice === 'existing'} onChange={() => setChoice('existing')} /> An existing dataset
        </label>
        <label class="checkbox">
          <input type="radio" name="target-choice" checked={choice === 'new'} onChange={() => setChoice('new')} /> A new dataset on a new schema
        </label>
      </fieldset>
      {choice === 'existing' ? (
        <ExistingDataSets scope={scope} onChosen={onChosen} />
      ) : (
        <SchemaComposer scope={scope} withDataSet onCreated={({ schema, dataSet }) => dataSet && onChosen({ dataSetId: dataSet.id, name: dataSet.name, schemaId: schema.$id })} />
      )}
    </section>
  );
}

function ExistingDataSets({ scope, onChosen }: { scope: Scope; onChosen: (target: Target) => void }) {
  const dataSets = useApi(scope, readDataSets);
  return (
    <LoadedView loaded={dataSets} what="the datasets">
      {(list) =>
        list.length === 0 ? (
          <p class="empty">This sandbox has no dataset with a schema yet: choose “A new dataset on a new schema” to make one.</p>
        ) : (
          <ul class="choices">
            {list.map((d) => (
              <li key={d.dataSetId}>
                <button type="button" class="secondary" onClick={() => onChosen(d)}>
                  Land in {d.name}
                </button>{' '}
                <small>{d.schemaId}</small>
              </li>
            ))}
          </ul>
        )
      }
    </LoadedView>
  );
}
