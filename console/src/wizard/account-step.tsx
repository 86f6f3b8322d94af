import { useState } from 'preact/hooks';
import { flowservice, listAll, request, type Scope } from '../api/client.js';
import { useApi } from '../state/use-api.js';
import { LoadedView, ProblemNotice } from '../ui/states.js';
import { AuthForm, type AuthInput } from './auth-form.js';
import type { ConnectionSpec } from './specs.js';

export interface Account {
  id: string;
  name: string;
}

/** A provider stand-in the server was started with (`tributary serve --sandbox`). */
interface SandboxAccount {
  connectionSpec: { id: string };
  auth: { specName: string; params: Record<string, string> };
}

interface TestAnswer {
  status: 'ok' | 'failed';
  message: string;
}

/** Step 1: an account already connected, or a new one from the spec's auth form, tested before going on. */
export function AccountStep({ scope, spec, onChosen }: { scope: Scope; spec: ConnectionSpec; onChosen: (account: Account) => void }) {
  const accounts = useApi(scope, (s, signal) => listAll<Account & { connectionSpec: { id: string } }>(s, '/connections', signal).then((all) => all.filter((c) => c.connectionSpec.id === spec.id)), [spec.id]);
  const sandbox = useApi(scope, (s, signal) => request<{ items: SandboxAccount[] }>(s, 'GET', '/tributary/sandbox-accounts', { signal }).then((body) => body.items.find((a) => a.connectionSpec.id === spec.id)), [spec.id]);
  const offered = sandbox.status === 'ready' ? sandbox.data : undefined;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [tested, setTested] = useState<{ account: Account; answer: TestAnswer } | undefined>();

  const test = async (account: Account) => {
    const answer = await request<TestAnswer>(scope, 'GET', `${flowservice}/connections/${account.id}/test`);
    setTested({ account, answer });
    if (answer.status === 'ok') onChosen(account);
  };

  const connect = async (input: AuthInput) => {
    setBusy(true);
    setError(undefined);
    setTested(undefined);
    try {
      const created = await request<{ id: string }>(scope, 'POST', `${flowservice}/connections`, {
        body: { name: input.name, auth: { specName: input.specName, params: input.params }, connectionSpec: { id: spec.id, version: '1.0' } },
      });
      await test({ id: created.id, name: input.name });
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">Account</h2>
      <LoadedView loaded={accounts} what="the accounts">
        {(list) =>
          list.length === 0 ? (
            <p class="empty">No {spec.name} account is connected yet.</p>
          ) : (
            <fieldset>
              <legend>Use an account already connected</legend>
              <ul class="choices">
                {list.map((account) => (
                  <li key={account.id}>
                    <button type="button" class="secondary" disabled={busy} onClick={() => void test(account).catch((e: unknown) => setError(e instanceof Error ? e : new Error(String(e))))}>
                      Use {account.name}
                    </button>
                  </li>
                ))}
              </ul>
            </fieldset>
          )
        }
      </LoadedView>
      {offered ? (
        <div class="sandbox-offer">
          <p>This server runs a local {spec.name} stand-in with generated data (started with <code>tributary serve --sandbox</code>).</p>
          <button type="button" class="secondary" disabled={busy} onClick={() => void connect({ name: `${spec.name} local sandbox`, specName: offered.auth.specName, params: offered.auth.params })}>
            Use the local sandbox account
          </button>
        </div>
      ) : null}
      <h3>Connect a new account</h3>
      <AuthForm spec={spec} busy={busy} onSubmit={(input) => void connect(input)} />
      {error ? <ProblemNotice error={error} /> : null}
      {tested ? (
        <p class={tested.answer.status === 'ok' ? 'success' : 'problem'} role={tested.answer.status === 'ok' ? 'status' : 'alert'}>
          {tested.account.name}: {tested.answer.status === 'ok' ? 'connection works' : 'connection failed'} ({tested.answer.message})
        </p>
      ) : null}
    </section>
  );
}
