import { useMemo, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { listAll, type Scope } from '../api/client.js';
import { useApi } from '../state/use-api.js';
import { LoadedView } from '../ui/states.js';
import { ScreenTitle, SearchBox } from '../ui/screen-title.js';

/** The parts of a connection spec the catalog shows. */
interface ConnectionSpec {
  id: string;
  name: string;
  description?: string;
  attributes?: { category?: unknown; isSource?: unknown };
  sourceSpec?: { attributes?: { uiAttributes?: { category?: { key?: unknown } } } };
}

interface Connection {
  id: string;
  name: string;
  connectionSpec: { id: string };
}

/** AEP's source categories, by the keys its specs use, as the sources workspace names them. */
const categoryNames: Record<string, string> = {
  payments: 'Payments',
  cloudStorage: 'Cloud storage',
  streaming: 'Streaming',
  database: 'Databases',
  crm: 'CRM',
};

export function categoryOf(spec: ConnectionSpec): string {
  const key = spec.attributes?.category ?? spec.sourceSpec?.attributes?.uiAttributes?.category?.key;
  return typeof key === 'string' ? key : 'other';
}

async function readCatalog(scope: Scope, signal: AbortSignal): Promise<{ specs: ConnectionSpec[]; connections: Connection[] }> {
  const [specs, connections] = await Promise.all([listAll<ConnectionSpec>(scope, '/connectionSpecs', signal), listAll<Connection>(scope, '/connections', signal)]);
  return { specs: specs.filter((spec) => spec.attributes?.isSource === true), connections };
}

/** Cards from `/connectionSpecs` by category, with a search box and the accounts already connected. */
export function SourcesCatalog({ scope }: { scope: Scope }) {
  const loaded = useApi(scope, readCatalog);
  const [search, setSearch] = useState('');
  return (
    <section aria-labelledby="catalog-title">
      <ScreenTitle id="catalog-title" title="Sources" loaded={loaded} />
      <SearchBox label="Search sources" value={search} onChange={setSearch} placeholder="PayPal, files, Stripe…" />
      <LoadedView loaded={loaded} what="the sources catalog">
        {(catalog) => <Catalog specs={catalog.specs} connections={catalog.connections} search={search} />}
      </LoadedView>
    </section>
  );
}

function Catalog({ specs, connections, search }: { specs: ConnectionSpec[]; connections: Connection[]; search: string }) {
  const groups = useMemo(() => {
    const wanted = search.trim().toLowerCase();
    const shown = specs.filter((spec) => wanted === '' || `${spec.name} ${spec.description ?? ''} ${categoryOf(spec)}`.toLowerCase().includes(wanted));
    const byCategory = new Map<string, ConnectionSpec[]>();
    for (const spec of shown) byCategory.set(categoryOf(spec), [...(byCategory.get(categoryOf(spec)) ?? []), spec]);
    return [...byCategory].sort(([a], [b]) => (categoryNames[a] ?? a).localeCompare(categoryNames[b] ?? b));
  }, [specs, search]);
  if (specs.length === 0) return <p class="empty">This server offers no sources.</p>;
  if (groups.length === 0) return <p class="empty">No source matches “{search}”.</p>;
  return (
    <>
      {groups.map(([category, members]) => (
        <section key={category} aria-labelledby={`category-${category}`}>
          <h2 id={`category-${category}`}>{categoryNames[category] ?? category}</h2>
          <ul class="cards">
            {members.map((spec) => {
              const accounts = connections.filter((c) => c.connectionSpec.id === spec.id);
              return (
                <li key={spec.id} class="card">
                  <h3>{spec.name}</h3>
                  {spec.description ? <p>{spec.description}</p> : null}
                  <p class="accounts">
                    {accounts.length === 0 ? 'No account connected' : `${accounts.length} account${accounts.length === 1 ? '' : 's'} connected: ${accounts.map((a) => a.name).join(', ')}`}
                  </p>
                  {categoryOf(spec) !== 'streaming' ? (
                    <Link href={`/sources/${spec.id}/new`} aria-label={`Add data from ${spec.name}`}>
                      Add data
                    </Link>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}
