import { useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { exchangeSecret, pastedToken } from '../api/session.js';
import { store } from '../state/store.js';
import { ProblemNotice } from '../ui/states.js';

/** Client id and secret through the token endpoint, or a pasted token. Neither is ever written to storage. */
export function SignIn({ adding = false }: { adding?: boolean }) {
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  // A deep link opened before signing in (a run page, say) is where signing in leads.
  const [location, navigate] = useLocation();
  const after = adding || location === '/' || location === '/add-org' ? '/sources' : location;

  const attempt = async (signIn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn();
      navigate(after);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>{adding ? 'Add an org' : 'Sign in to Tributary'}</h1>
      <form
        aria-label="Sign in with client credentials"
        onSubmit={(event) => {
          event.preventDefault();
          void attempt(async () => store.signedIn(await exchangeSecret(clientId.trim(), secret)));
        }}
      >
        <label>
          Client id
          <input name="client_id" autoComplete="username" required value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} />
        </label>
        <label>
          Client secret
          <input name="client_secret" type="password" autoComplete="current-password" required value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <form
        aria-label="Sign in with an access token"
        onSubmit={(event) => {
          event.preventDefault();
          void attempt(async () => store.signedIn(pastedToken(token)));
        }}
      >
        <label>
          Or paste an access token
          <textarea name="token" rows={3} spellcheck={false} value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy || token.trim() === ''}>
          Use this token
        </button>
      </form>
      {error ? <ProblemNotice error={error} /> : null}
      <p class="hint">
        The first start of <code>tributary serve</code> prints a development client id; its secret is in <code>.tributary/dev-client-secret.txt</code>.
      </p>
    </main>
  );
}
