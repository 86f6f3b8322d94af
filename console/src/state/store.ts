import { useEffect, useState } from 'preact/hooks';
import { exchangeSecret, renewalDelay, type Session } from '../api/session.js';

/** What the whole console shares: the signed-in orgs, which one is in use, and its sandbox. */
export interface ConsoleState {
  sessions: Session[];
  /** The org in use, by IMS org id; undefined while nobody is signed in. */
  org: string | undefined;
  sandbox: string;
}

type Listener = (state: ConsoleState) => void;

/**
 * The console's state, in this page's memory only (a reload signs out, by design: nothing about a session is
 * written to storage). Each session with a secret renews its token at four fifths of its life.
 */
export class ConsoleStore {
  private state: ConsoleState = { sessions: [], org: undefined, sandbox: 'prod' };
  private readonly listeners = new Set<Listener>();
  private readonly renewals = new Map<string, ReturnType<typeof setTimeout>>();

  get current(): ConsoleState {
    return this.state;
  }

  session(): Session | undefined {
    return this.state.sessions.find((s) => s.org === this.state.org);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds (or replaces) an org's session and switches to it, in its production sandbox. */
  signedIn(session: Session): void {
    const others = this.state.sessions.filter((s) => s.org !== session.org);
    this.set({ sessions: [...others, session], org: session.org, sandbox: 'prod' });
    this.scheduleRenewal(session);
  }

  switchOrg(org: string): void {
    if (this.state.sessions.some((s) => s.org === org)) this.set({ ...this.state, org, sandbox: 'prod' });
  }

  switchSandbox(sandbox: string): void {
    this.set({ ...this.state, sandbox });
  }

  signOut(org: string): void {
    clearTimeout(this.renewals.get(org));
    this.renewals.delete(org);
    const sessions = this.state.sessions.filter((s) => s.org !== org);
    this.set({ sessions, org: this.state.org === org ? sessions[0]?.org : this.state.org, sandbox: 'prod' });
  }

  private scheduleRenewal(session: Session): void {
    clearTimeout(this.renewals.get(session.org));
    const delay = renewalDelay(session);
    if (delay === undefined || session.secret === undefined) return;
    const secret = session.secret;
    this.renewals.set(
      session.org,
      setTimeout(() => {
        exchangeSecret(session.clientId, secret)
          .then((renewed) => this.renewed(renewed))
          .catch((error: unknown) => this.renewalFailed(session.org, error instanceof Error ? error.message : String(error)));
      }, delay),
    );
  }

  private renewed(session: Session): void {
    if (!this.state.sessions.some((s) => s.org === session.org)) return;
    this.set({ ...this.state, sessions: this.state.sessions.map((s) => (s.org === session.org ? session : s)) });
    this.scheduleRenewal(session);
  }

  private renewalFailed(org: string, problem: string): void {
    this.set({ ...this.state, sessions: this.state.sessions.map((s) => (s.org === org ? { ...s, renewalProblem: problem } : s)) });
  }

  private set(next: ConsoleState): void {
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }
}

export const store = new ConsoleStore();

/** The console state, re-rendering on every change. */
export function useConsole(): ConsoleState {
  const [state, setState] = useState(store.current);
  useEffect(() => store.subscribe(setState), []);
  return state;
}
