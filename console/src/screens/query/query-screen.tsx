import { useEffect, useRef, useState } from 'preact/hooks';
import type { Scope } from '../../api/client.js';
import { readResults, runQuery } from '../../api/query.js';
import { ProblemNotice } from '../../ui/states.js';
import { HistoryList } from './history-list.js';
import { queryHistory, type HistoryEntry } from './query-history.js';
import { QueryResultView, type QueryResult } from './query-result.js';
import { TableList } from './table-list.js';
import './query.css';

type Outcome =
  | { kind: 'none' }
  | { kind: 'running'; startedAt: number; controller: AbortController; reopening: boolean }
  | { kind: 'result'; result: QueryResult }
  | { kind: 'failed'; error: Error }
  | { kind: 'cancelled'; note: string };

const example = 'SHOW TABLES';

/**
 * SQL over the sandbox's datasets through Query Service. The POST answers only once the query has ended, so
 * Cancel hangs up on it: the server cancels a query whose client has gone (and leaving the screen does the same).
 */
export function QueryScreen({ scope }: { scope: Scope }) {
  const [sql, setSqlState] = useState(() => queryHistory.draft(scope) ?? '');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [history, setHistory] = useState(() => queryHistory.list(scope));
  const [elapsed, setElapsed] = useState(0);
  const editor = useRef<HTMLTextAreaElement>(null);
  const running = outcome.kind === 'running' ? outcome : undefined;

  const setSql = (text: string) => {
    setSqlState(text);
    queryHistory.setDraft(scope, text);
  };

  useEffect(() => {
    if (!running) return undefined;
    setElapsed(0);
    const timer = setInterval(() => setElapsed(Date.now() - running.startedAt), 500);
    return () => clearInterval(timer);
  }, [running]);
  // A query nobody will see is not left running: leaving the screen hangs up on it.
  const current = useRef<AbortController>();
  useEffect(() => () => current.current?.abort(), []);

  const record = (entry: HistoryEntry) => setHistory(queryHistory.add(scope, entry));

  const run = () => {
    const text = sql.trim();
    if (text === '' || running) return;
    const controller = new AbortController();
    current.current = controller;
    const at = Date.now();
    setOutcome({ kind: 'running', startedAt: at, controller, reopening: false });
    runQuery(scope, text, controller.signal)
      .then((answer) => {
        record({ id: answer.id, sql: text, state: answer.state, at, rowCount: answer.rowCount, elapsedMs: answer.elapsedTime });
        setOutcome(
          answer.state === 'CANCELLED'
            ? { kind: 'cancelled', note: 'The query was cancelled on the server before it finished.' }
            : { kind: 'result', result: { id: answer.id, columns: answer.columns, rows: answer.rows, truncated: answer.truncated, elapsedMs: answer.elapsedTime } },
        );
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) {
          record({ sql: text, state: 'CANCELLED', at });
          setOutcome({ kind: 'cancelled', note: 'Cancelled: the console hung up on the query, and the server stops a query whose client has gone.' });
          return;
        }
        const failure = error instanceof Error ? error : new Error(String(error));
        record({ sql: text, state: 'FAILED', at, problem: failure });
        setOutcome({ kind: 'failed', error: failure });
      });
  };

  const reopen = (entry: HistoryEntry) => {
    setSql(entry.sql);
    const id = entry.id;
    if (entry.state === 'FAILED') {
      setOutcome({ kind: 'failed', error: entry.problem ?? new Error('The query failed.') });
      return;
    }
    if (entry.state !== 'SUCCESS' || id === undefined) {
      setOutcome({ kind: 'cancelled', note: 'This query was cancelled: run it again to see its rows.' });
      return;
    }
    const controller = new AbortController();
    current.current = controller;
    setOutcome({ kind: 'running', startedAt: Date.now(), controller, reopening: true });
    readResults(scope, id, controller.signal)
      .then((read) => setOutcome({ kind: 'result', result: { id, ...read, ...(entry.elapsedMs !== undefined ? { elapsedMs: entry.elapsedMs } : {}) } }))
      .catch((error: unknown) => {
        setOutcome(controller.signal.aborted ? { kind: 'none' } : { kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
      });
  };

  const insertTable = (table: string) => {
    const area = editor.current;
    if (sql.trim() === '' || !area) {
      setSql(`SELECT * FROM ${table} LIMIT 100`);
      area?.focus();
      return;
    }
    const start = area.selectionStart;
    const end = area.selectionEnd;
    setSql(`${sql.slice(0, start)}${table}${sql.slice(end)}`);
    // After Preact has written the new text: the caret goes after the name.
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(start + table.length, start + table.length);
    });
  };

  return (
    <section class="query-screen" aria-labelledby="query-title">
      <h1 id="query-title">Query</h1>
      <div class="query-layout">
        <aside>
          <TableList scope={scope} onPick={insertTable} />
          <HistoryList entries={history} onOpen={reopen} disabled={running !== undefined} />
        </aside>
        <div class="query-main">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              run();
            }}
          >
            <label>
              SQL
              <textarea
                ref={editor}
                class="sql-editor"
                value={sql}
                rows={9}
                spellcheck={false}
                autocomplete="off"
                placeholder={`${example}  —  Ctrl+Enter runs`}
                aria-describedby="sql-hint"
                onInput={(e) => setSql(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                    e.preventDefault();
                    run();
                  }
                }}
              />
            </label>
            <p id="sql-hint" class="hint">
              One read-only statement (SELECT, WITH, SHOW, DESCRIBE…) over sandbox <code>{scope.sandbox}</code>. Ctrl+Enter (⌘+Enter) runs it.
            </p>
            <div class="actions">
              <button type="submit" disabled={running !== undefined || sql.trim() === ''}>
                Run query
              </button>
              {running ? (
                <button type="button" class="secondary" onClick={() => running.controller.abort()}>
                  Cancel
                </button>
              ) : null}
            </div>
          </form>
          <OutcomeView outcome={outcome} elapsed={elapsed} />
        </div>
      </div>
    </section>
  );
}

function OutcomeView({ outcome, elapsed }: { outcome: Outcome; elapsed: number }) {
  switch (outcome.kind) {
    case 'none':
      return null;
    case 'running':
      return (
        <p class="status" role="status">
          {outcome.reopening ? 'Reading the rows again…' : `Running… ${Math.floor(elapsed / 1000)} s`}
        </p>
      );
    case 'cancelled':
      return (
        <p class="status" role="status">
          {outcome.note}
        </p>
      );
    case 'failed':
      return (
        <div class="sql-problem">
          <ProblemNotice error={outcome.error} />
        </div>
      );
    case 'result':
      return <QueryResultView result={outcome.result} />;
  }
}
