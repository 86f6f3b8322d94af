import type { HistoryEntry } from './query-history.js';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const stateNames: Record<HistoryEntry['state'], string> = {
  SUBMITTED: 'submitted',
  IN_PROGRESS: 'running',
  SUCCESS: 'succeeded',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

function summary(entry: HistoryEntry): string {
  if (entry.state !== 'SUCCESS') return stateNames[entry.state];
  const rows = entry.rowCount ?? 0;
  return `${rows.toLocaleString()} row${rows === 1 ? '' : 's'}`;
}

/** This page's queries in this org and sandbox, newest first; choosing one opens it again. */
export function HistoryList({ entries, onOpen, disabled }: { entries: HistoryEntry[]; onOpen: (entry: HistoryEntry) => void; disabled: boolean }) {
  return (
    <section class="history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {entries.length === 0 ? (
        <p class="empty">The queries you run here are listed here, to open again.</p>
      ) : (
        <ol>
          {entries.map((entry) => (
            <li key={`${entry.at}-${entry.id ?? ''}`}>
              <button type="button" class={`history-item ${entry.state.toLowerCase()}`} onClick={() => onOpen(entry)} disabled={disabled}>
                <code>{entry.sql.length > 160 ? `${entry.sql.slice(0, 160)}…` : entry.sql}</code>
                <span class="history-meta">
                  <time dateTime={new Date(entry.at).toISOString()}>{time.format(entry.at)}</time> · {summary(entry)}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
