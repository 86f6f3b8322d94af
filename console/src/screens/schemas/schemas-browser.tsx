import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation, useSearch } from 'wouter-preact';
import type { Scope } from '../../api/client.js';
import { readRegistryPage, titleFilter, type Container, type RegistryKind } from '../../api/schema-registry.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { containerNames, containerOf, kindOf, kinds, resourceHref } from './registry-kinds.js';
import './schemas.css';

/** Resources a page asks for (the registry may add a few: a page never ends inside a run of equal titles). */
const pageSize = 50;

/**
 * The Schema Registry's classes, field groups and data types (the standard library, or the sandbox's own) and
 * the sandbox's schemas: a tab per kind, a search on titles and the registry's own paging.
 */
export function SchemasBrowser({ scope, container: containerSegment = 'tenant', kind: kindSegment = 'schemas' }: { scope: Scope; container?: string; kind?: string }) {
  const kind = kindOf(kindSegment);
  const container = containerOf(containerSegment);
  if (!kind || !container) {
    return (
      <p class="problem" role="alert">
        There is no “{containerSegment}/{kindSegment}” in the Schema Registry. <Link href="/schemas">Back to the schemas</Link>
      </p>
    );
  }
  return <Browser key={`${container}/${kind.kind}`} scope={scope} container={kind.kind === 'schemas' ? 'tenant' : container} kind={kind.kind} />;
}

function Browser({ scope, container, kind }: { scope: Scope; container: Container; kind: RegistryKind }) {
  const [location, navigate] = useLocation();
  const query = new URLSearchParams(useSearch()).get('q') ?? '';
  const [typed, setTyped] = useState(query);
  // The search reaches the URL (so Back from a resource returns to it) once typing pauses.
  useEffect(() => {
    if (typed.trim() === query) return undefined;
    const timer = setTimeout(() => navigate(typed.trim() === '' ? location : `${location}?${new URLSearchParams({ q: typed.trim() }).toString()}`, { replace: true }), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const about = kinds.find((k) => k.kind === kind) ?? kinds[0];
  return (
    <section aria-labelledby="schemas-title" class="schemas">
      <div class="title-row">
        <h1 id="schemas-title">Schemas</h1>
        <Link href="/schemas/new" class="button-link">
          Compose a schema
        </Link>
      </div>
      <nav aria-label="Kinds" class="kind-tabs">
        {kinds.map((k) => (
          <Link key={k.kind} href={`/schemas/${k.kind === 'schemas' ? 'tenant' : kind === 'schemas' ? 'global' : container}/${k.kind}`} aria-current={k.kind === kind ? 'page' : undefined}>
            {k.plural}
          </Link>
        ))}
      </nav>
      {kind !== 'schemas' ? (
        <nav aria-label="Container" class="container-switch">
          {(['global', 'tenant'] as const).map((c) => (
            <Link key={c} href={`/schemas/${c}/${kind}`} aria-current={c === container ? 'page' : undefined}>
              {containerNames[c]}
            </Link>
          ))}
        </nav>
      ) : null}
      <label class="search">
        Search {about?.plural.toLowerCase()} by title
        <input type="search" value={typed} maxLength={100} onInput={(e) => setTyped(e.currentTarget.value)} placeholder={kind === 'classes' ? 'e.g. Individual Profile' : 'e.g. contact'} />
      </label>
      <Pages key={query} scope={scope} container={container} kind={kind} query={query} />
    </section>
  );
}

/** The list a page at a time; the pages already seen are kept, so Previous goes back without asking again. */
function Pages({ scope, container, kind, query }: { scope: Scope; container: Container; kind: RegistryKind; query: string }) {
  const [starts, setStarts] = useState<(string | undefined)[]>([undefined]);
  const start = starts[starts.length - 1];
  const loaded = useApi(scope, (s, signal) => readRegistryPage(s, container, kind, { start, limit: pageSize, filters: query === '' ? [] : [titleFilter(query)] }, signal), [start]);
  const about = kinds.find((k) => k.kind === kind);
  const what = about?.plural.toLowerCase() ?? kind;
  return (
    <LoadedView loaded={loaded} what={`the ${what}`}>
      {(page) =>
        page.results.length === 0 ? (
          <p class="empty">
            {query !== ''
              ? `No ${about?.one ?? 'resource'} of ${container === 'global' ? 'the standard library' : 'this sandbox'} has “${query}” in its title.`
              : kind === 'schemas'
                ? 'This sandbox has no schemas yet: compose one from a class and field groups.'
                : `This sandbox has no ${what} of its own yet.`}
          </p>
        ) : (
          <>
            <table class="data-table" aria-label={`${about?.plural ?? kind} of ${container === 'global' ? 'the standard library' : 'this sandbox'}`}>
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col">Id</th>
                  <th scope="col">Version</th>
                </tr>
              </thead>
              <tbody>
                {page.results.map((resource) => (
                  <tr key={resource.$id}>
                    <td>
                      <Link href={resourceHref(container, kind, resource['meta:altId'])}>{resource.title ?? resource['meta:altId']}</Link>
                    </td>
                    <td>
                      <code>{resource.$id}</code>
                    </td>
                    <td>{resource.version ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div class="pager">
              <button type="button" class="secondary" disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))}>
                Previous page
              </button>
              <span role="status">
                Page {starts.length}
                {page.next === null ? ' (the last)' : ''}
              </span>
              <button type="button" class="secondary" disabled={page.next === null} onClick={() => page.next !== null && setStarts([...starts, page.next])}>
                Next page
              </button>
            </div>
          </>
        )
      }
    </LoadedView>
  );
}
