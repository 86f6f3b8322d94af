import type { ComponentChildren } from 'preact';
import { Link } from 'wouter-preact';
import { request, type Scope } from '../api/client.js';
import { store, useConsole } from '../state/store.js';
import { useApi } from '../state/use-api.js';

interface Sandbox {
  name: string;
  title: string;
}

/** Pages of the org's sandboxes read for the switcher, at most; an org holds far fewer. */
const maxSandboxPages = 10;

/** Every sandbox of the org for the switcher, a page of 1,000 at a time, following `_links.next`. */
async function readSandboxes(scope: Scope, signal: AbortSignal): Promise<Sandbox[]> {
  const found: Sandbox[] = [];
  let path: string | undefined = '/data/foundation/sandbox-management/sandboxes?limit=1000&offset=0';
  for (let pages = 0; path !== undefined && pages < maxSandboxPages; pages += 1) {
    const body: { sandboxes: Sandbox[]; _links?: { next?: { href: string } } } = await request(scope, 'GET', path, { signal });
    found.push(...body.sandboxes);
    path = body._links?.next?.href;
  }
  return found;
}

/** The header every signed-in screen has: org and sandbox switchers, the sections, and sign-out. */
export function Layout({ scope, children }: { scope: Scope; children: ComponentChildren }) {
  const state = useConsole();
  const sandboxes = useApi(scope, readSandboxes);
  const session = scope.session;
  // The select may end the title in an ellipsis; its tooltip says it whole.
  const sandboxTitle = (sandboxes.status === 'ready' ? sandboxes.data.find((s) => s.name === scope.sandbox)?.title : undefined) ?? scope.sandbox;
  return (
    <>
      <header class="top">
        <Link class="brand" href="/sources">
          Tributary
        </Link>
        <nav aria-label="Sections">
          <Link href="/sources">Sources</Link>
          <Link href="/datasets">Datasets</Link>
          <Link href="/schemas">Schemas</Link>
          <Link href="/query">Query</Link>
          <Link href="/flows">Dataflows</Link>
        </nav>
        <label title="The IMS org in use">
          <span class="sr-only">Org</span>
          <select value={session.org} title={session.org} onChange={(e) => store.switchOrg(e.currentTarget.value)}>
            {state.sessions.map((s) => (
              <option key={s.org} value={s.org} title={s.org}>
                {s.org}
              </option>
            ))}
          </select>
        </label>
        <label title="The sandbox in use">
          <span class="sr-only">Sandbox</span>
          <select value={scope.sandbox} title={sandboxTitle} onChange={(e) => store.switchSandbox(e.currentTarget.value)} disabled={sandboxes.status !== 'ready'}>
            {sandboxes.status === 'ready' ? (
              sandboxes.data.map((s) => (
                <option key={s.name} value={s.name} title={s.name}>
                  {s.title}
                </option>
              ))
            ) : (
              <option value={scope.sandbox}>{scope.sandbox}</option>
            )}
          </select>
        </label>
        <Link href="/add-org">Add an org</Link>
        <button type="button" onClick={() => store.signOut(session.org)}>
          Sign out
        </button>
      </header>
      {session.renewalProblem ? (
        <p class="problem" role="alert">
          The token could not be renewed ({session.renewalProblem}); sign in again before it ends.
        </p>
      ) : null}
      <main>{children}</main>
    </>
  );
}
