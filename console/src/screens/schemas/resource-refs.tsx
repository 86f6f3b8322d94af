import { Link } from 'wouter-preact';
import type { Scope } from '../../api/client.js';
import { findSummary, type RegistryKind } from '../../api/schema-registry.js';
import { useApi } from '../../state/use-api.js';
import { LoadedView } from '../../ui/states.js';
import { resourceHref } from './registry-kinds.js';

/** Registry resources known by `$id`, each shown by its title and linked to its page (looked up one by one). */
export function ResourceRefs({ scope, kind, ids, label }: { scope: Scope; kind: RegistryKind; ids: readonly string[]; label: string }) {
  const loaded = useApi(scope, (s, signal) => Promise.all(ids.map(async (id) => ({ id, found: await findSummary(s, kind, id, signal) }))), [kind, ids.join(' ')]);
  return (
    <LoadedView loaded={loaded} what={label.toLowerCase()}>
      {(refs) => (
        <ul class="refs" aria-label={label}>
          {refs.map(({ id, found }) => (
            <li key={id}>
              {found ? (
                <>
                  <Link href={resourceHref(found.container, kind, found['meta:altId'])}>{found.title ?? found['meta:altId']}</Link> <code>{id}</code>
                </>
              ) : (
                <>
                  <code>{id}</code> <span class="hint">(not in the registry)</span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </LoadedView>
  );
}
