import { useEffect, useState } from 'preact/hooks';
import { cellText, type FlatRows } from './flat-rows.js';
import './rows-grid.css';

/** Rows a page of the grid shows: enough to scroll through, few enough that 10,000 rows stay quick to render. */
const pageSize = 100;

/** Rows as a table with a header per column (scrolling both ways within its frame), a page at a time. */
export function RowsGrid({ table, label }: { table: FlatRows; label: string }) {
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [table]);
  const pages = Math.max(1, Math.ceil(table.rows.length / pageSize));
  const first = page * pageSize;
  const shown = table.rows.slice(first, first + pageSize);
  return (
    <div class="rows-grid">
      {/* A focusable region, so the keyboard can scroll a grid wider or taller than its frame. */}
      <div class="rows-grid-frame" role="region" aria-label={`${label} (scrollable)`} tabIndex={0}>
        <table aria-label={label}>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th key={column.path} scope="col" title={column.type}>
                  {column.path}
                  <span class="column-type">{column.type.length > 24 ? `${column.type.slice(0, 24)}…` : column.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, index) => (
              <tr key={first + index}>
                {row.map((value, column) => (
                  <td key={column} class={value === null || value === undefined ? 'null' : typeof value === 'number' ? 'number' : undefined}>
                    {value === null ? 'null' : cellText(value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav class="pager" aria-label={`${label} pages`}>
          <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
            Previous rows
          </button>
          <span>
            Rows {(first + 1).toLocaleString()}–{(first + shown.length).toLocaleString()} of {table.rows.length.toLocaleString()}
          </span>
          <button type="button" onClick={() => setPage(page + 1)} disabled={page >= pages - 1}>
            Next rows
          </button>
        </nav>
      ) : null}
    </div>
  );
}
