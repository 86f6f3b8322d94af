import { cellText, type FlatRows } from './flat-rows.js';

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break (quotes doubled), or edge spaces. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as CSV: a header line of column paths, then one line per row, CRLF line ends as RFC 4180 has them. */
export function toCsv(table: FlatRows): string {
  const lines = [table.columns.map((c) => csvField(c.path)), ...table.rows.map((row) => row.map((value) => csvField(cellText(value))))];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/**
 * Offers `text` as a file to save: a Blob URL on a link clicked at once. The URL is revoked a minute later, long
 * after the browser has started the download (revoking at once can cancel it in some browsers).
 */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
