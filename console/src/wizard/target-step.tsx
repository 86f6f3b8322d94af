import { request, type Scope } from '../api/client.js';
import { useApi } from '../state/use-api.js';
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

const readDataSets = (scope: Scope, signal: AbortSignal) =>
  request<Record<string, CatalogDataSet>>(scope, 'GET', '/data/foundation/catalog/dataSets?limit=100&properties=name,schemaRef', { signal }).then((byId) =>
    Object.entries(byId)
      .filter(([, d]) => typeof d.schemaRef?.id === 'string')
      .map(([dataSetId, d]) => ({ dataSetId, name: d.name ?? dataSetId, schemaId: d.schemaRef?.id as string }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  );

/** Step 3: the dataset the rows land in, with its XDM schema. */
export function TargetStep({ scope, onChosen }: { scope: Scope; onChosen: (target: Target) => void }) {
  const dataSets = useApi(scope, readDataSets);
  return (
    <section aria-labelledby="target-title">
      <h2 id="target-title">Target dataset</h2>
      <LoadedView loaded={dataSets} what="the datasets">
        {(list) =>
          list.length === 0 ? (
            <p class="empty">This sandbox has no dataset with a schema yet: create one (Catalog, or the Schemas screen) first.</p>
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
    </section>
  );
}
