import { useState } from 'preact/hooks';
import { flowservice, request, type Scope } from '../api/client.js';
import { useApi } from '../state/use-api.js';
import { LoadedView } from '../ui/states.js';
import { cellText } from '../ui/flat-rows.js';

interface Entry {
  type: 'folder' | 'file' | 'table';
  name: string;
  path: string;
  canPreview: boolean;
}

export interface Column {
  name: string;
  type: string;
}

export interface Selection {
  entry: Entry;
  format: 'delimited' | 'json' | 'parquet' | 'tabular';
  columns: Column[];
  /** The first rows of the preview: the mapping step shows them mapped. */
  rows: Record<string, unknown>[];
}

interface FlatAnswer {
  format: 'flat';
  schema: { columns: Column[] };
  data?: Record<string, unknown>[];
}

/** How a file is read, from its name as the explore API would guess it. */
function fileFormat(name: string): 'delimited' | 'json' | 'parquet' {
  const plain = name.toLowerCase().replace(/\.(gz|zst)$/, '');
  if (plain.endsWith('.parquet')) return 'parquet';
  if (plain.endsWith('.json') || plain.endsWith('.jsonl') || plain.endsWith('.ndjson')) return 'json';
  return 'delimited';
}

const explore = (scope: Scope, connectionId: string, query: Record<string, string>, signal?: AbortSignal) =>
  request<Entry[] | FlatAnswer>(scope, 'GET', `${flowservice}/connections/${connectionId}/explore?${new URLSearchParams(query).toString()}`, signal ? { signal } : {});

/** Step 2: the connection's folders, files or tables as a tree, and a preview of the one chosen. */
export function DataStep({ scope, connectionId, tableFormat, onChosen }: { scope: Scope; connectionId: string; tableFormat: 'tabular' | 'json'; onChosen: (selection: Selection) => void }) {
  const [chosen, setChosen] = useState<Entry | undefined>();
  return (
    <section aria-labelledby="data-title">
      <h2 id="data-title">Select data</h2>
      <div class="explore">
        <nav aria-label="Source data" class="tree">
          <Folder scope={scope} connectionId={connectionId} path={undefined} chosen={chosen} onChoose={setChosen} />
        </nav>
        <div class="preview">{chosen ? <Preview key={chosen.path} scope={scope} connectionId={connectionId} entry={chosen} tableFormat={tableFormat} onChosen={onChosen} /> : <p class="empty">Choose a file or table to see its columns and first rows.</p>}</div>
      </div>
    </section>
  );
}

function Folder({ scope, connectionId, path, chosen, onChoose }: { scope: Scope; connectionId: string; path: string | undefined; chosen: Entry | undefined; onChoose: (entry: Entry) => void }) {
  const entries = useApi(scope, (s, signal) => explore(s, connectionId, path === undefined ? { objectType: 'root' } : { objectType: 'folder', object: path }, signal).then((answer) => (Array.isArray(answer) ? answer : [])), [connectionId, path]);
  return (
    <LoadedView loaded={entries} what="the folder">
      {(list) =>
        list.length === 0 ? (
          <p class="empty">Nothing here.</p>
        ) : (
          <ul role="list">
            {list.map((entry) => (entry.type === 'folder' ? <FolderEntry key={entry.path} {...{ scope, connectionId, entry, chosen, onChoose }} /> : <li key={entry.path}>
                  <button type="button" class={`entry ${chosen?.path === entry.path ? 'chosen' : ''}`} aria-pressed={chosen?.path === entry.path} onClick={() => onChoose(entry)}>
                    {entry.type === 'table' ? '▦' : '📄'} {entry.name}
                  </button>
                </li>))}
          </ul>
        )
      }
    </LoadedView>
  );
}

function FolderEntry({ scope, connectionId, entry, chosen, onChoose }: { scope: Scope; connectionId: string; entry: Entry; chosen: Entry | undefined; onChoose: (entry: Entry) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <button type="button" class="entry" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} 📁 {entry.name}
      </button>
      {open ? <Folder scope={scope} connectionId={connectionId} path={entry.path} chosen={chosen} onChoose={onChoose} /> : null}
    </li>
  );
}

function Preview({ scope, connectionId, entry, tableFormat, onChosen }: { scope: Scope; connectionId: string; entry: Entry; tableFormat: 'tabular' | 'json'; onChosen: (selection: Selection) => void }) {
  const format = entry.type === 'table' ? tableFormat : fileFormat(entry.name);
  const answer = useApi(
    scope,
    (s, signal) => explore(s, connectionId, { objectType: entry.type, object: entry.path, preview: 'true', ...(entry.type === 'table' ? {} : { fileType: format }) }, signal),
    [connectionId, entry.path],
  );
  return (
    <LoadedView loaded={answer} what={`a preview of ${entry.name}`}>
      {(data) => {
        if (Array.isArray(data) || data.format !== 'flat') return <p class="empty">{entry.name} has no columns to show.</p>;
        const columns = data.schema.columns;
        const rows = data.data ?? [];
        return (
          <>
            <h3>{entry.name}</h3>
            <div class="grid-scroll">
              <table aria-label={`Preview of ${entry.name}`}>
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c.name} scope="col">
                        {c.name} <small>{c.type}</small>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, 20).map((row, i) => (
                    <tr key={i}>
                      {columns.map((c) => (
                        <td key={c.name}>{cellText(row[c.name])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p class="status">
              {columns.length} columns; the first {Math.min(rows.length, 20)} rows.
            </p>
            <button type="button" onClick={() => onChosen({ entry, format, columns, rows: rows.slice(0, 10) })}>
              Use {entry.name}
            </button>
          </>
        );
      }}
    </LoadedView>
  );
}
