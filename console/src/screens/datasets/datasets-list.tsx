import { useMemo, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { listCatalog, tableOf, type DataSet } from '../../api/catalog.js';
import type { Scope } from '../../api/client.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { BatchStatus } from './batch-status.js';
import { timeText } from '../../ui/time-text.js';
import './datasets.css';
import { ScreenTitle, SearchBox } from '../../ui/screen-title.js';

const readDataSets = (scope: Scope, signal: AbortSignal) =>
  listCatalog<DataSet>(scope, 'dataSets', { properties: 'name,description,tags,created,updated,lastBatchStatus', orderBy: 'desc:updated' }, signal);

/** The sandbox's datasets (Catalog), newest first, each leading to its schema, batches and rows. */
export function DatasetsList({ scope }: { scope: Scope }) {
  const loaded = useApi(scope, readDataSets);
  const [search, setSearch] = useState('');
  return (
    <section aria-labelledby="datasets-title">
      <ScreenTitle id="datasets-title" title="Datasets" loaded={loaded} />
      <SearchBox label="Search datasets" value={search} onChange={setSearch} placeholder="Name or table" />
      <LoadedView loaded={loaded} what="the datasets">
        {({ items, more }) => <DataSetTable dataSets={items} more={more} search={search} />}
      </LoadedView>
    </section>
  );
}

function DataSetTable({ dataSets, more, search }: { dataSets: DataSet[]; more: boolean; search: string }) {
  const shown = useMemo(() => {
    const wanted = search.trim().toLowerCase();
    return dataSets.filter((d) => wanted === '' || `${d.name ?? ''} ${tableOf(d) ?? ''} ${d.id}`.toLowerCase().includes(wanted));
  }, [dataSets, search]);
  if (dataSets.length === 0) return <p class="empty">This sandbox has no datasets yet. A dataflow creates its target dataset, and fills it when it runs.</p>;
  if (shown.length === 0) return <p class="empty">No dataset matches “{search}”.</p>;
  return (
    <>
      <table class="data-table" aria-label="Datasets">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">SQL table</th>
            <th scope="col">Last batch</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((dataSet) => (
            <tr key={dataSet.id}>
              <td>
                <Link href={`/datasets/${dataSet.id}`}>{dataSet.name ?? dataSet.id}</Link>
                {dataSet.description ? <div class="hint">{dataSet.description}</div> : null}
              </td>
              <td>{tableOf(dataSet) ? <code>{tableOf(dataSet)}</code> : <span class="hint">none</span>}</td>
              <td>{dataSet.lastBatchStatus ? <BatchStatus status={dataSet.lastBatchStatus} /> : <span class="hint">no batch yet</span>}</td>
              <td>{timeText(dataSet.updated)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more ? <p class="hint">Only the {dataSets.length} most recently updated datasets are listed.</p> : null}
    </>
  );
}
