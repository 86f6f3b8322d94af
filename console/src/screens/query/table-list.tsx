import { listCatalog, tableOf, type DataSet } from '../../api/catalog.js';
import type { Scope } from '../../api/client.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';

const readTables = async (scope: Scope, signal: AbortSignal) => {
  const { items, more } = await listCatalog<DataSet>(scope, 'dataSets', { properties: 'name,tags', orderBy: 'name' }, signal);
  const tables = items.flatMap((dataSet) => {
    const table = tableOf(dataSet);
    return table === undefined ? [] : [{ table, dataSet: dataSet.name ?? dataSet.id }];
  });
  return { tables, more };
};

/**
 * The sandbox's tables, one per dataset (its `adobe/pqs/table` tag, read from Catalog, so that listing them takes
 * none of the org's few query places). Choosing one puts its name in the editor.
 */
export function TableList({ scope, onPick }: { scope: Scope; onPick: (table: string) => void }) {
  const loaded = useApi(scope, readTables);
  return (
    <section class="table-list" aria-labelledby="tables-title">
      <h2 id="tables-title">Tables</h2>
      <LoadedView loaded={loaded} what="the tables">
        {({ tables, more }) =>
          tables.length === 0 ? (
            <p class="empty">This sandbox has no datasets yet: run a dataflow to land some.</p>
          ) : (
            <>
              <p class="hint">Choose a table to put its name in the editor. Each also has a <code>_latest</code> table: the newest version of each record.</p>
              <ul>
                {tables.map(({ table, dataSet }) => (
                  <li key={table}>
                    <button type="button" class="link-button" title={`Dataset “${dataSet}”: insert into the editor`} onClick={() => onPick(table)}>
                      {table}
                    </button>
                  </li>
                ))}
              </ul>
              {more ? <p class="hint">Only the first {tables.length} tables are listed.</p> : null}
            </>
          )
        }
      </LoadedView>
    </section>
  );
}
