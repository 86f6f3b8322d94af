import { SourceConfigError } from '../source-connector.js';
import type { TableName } from './sql-source-dialect.js';

/**
 * The table a source connection's `tableName` names: `schema.table` or `table`, either part in double quotes when
 * it holds a dot or a quote (`"my.schema"."Orders"`, a doubled `""` for a quote).
 */
export function parseTableName(value: unknown): TableName {
  if (typeof value !== 'string' || value.trim() === '') throw new SourceConfigError('the source connection names no table: set params.tableName to schema.table');
  const parts: string[] = [];
  let at = 0;
  const text = value.trim();
  while (at <= text.length) {
    let part: string;
    if (text[at] === '"') {
      let end = at + 1;
      part = '';
      for (;;) {
        const quote = text.indexOf('"', end);
        if (quote === -1) throw new SourceConfigError(`tableName "${value}" opens a quote it never closes`);
        part += text.slice(end, quote);
        if (text[quote + 1] === '"') {
          part += '"';
          end = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
    } else {
      const dot = text.indexOf('.', at);
      part = text.slice(at, dot === -1 ? undefined : dot).trim();
      at = dot === -1 ? text.length : dot;
    }
    if (part === '') throw new SourceConfigError(`tableName "${value}" has an empty part; write it as schema.table`);
    parts.push(part);
    if (at >= text.length) break;
    if (text[at] !== '.') throw new SourceConfigError(`tableName "${value}" has text after a quoted name; write it as schema.table`);
    at += 1;
  }
  if (parts.length > 2) throw new SourceConfigError(`tableName "${value}" has ${parts.length} parts; write it as schema.table (quote a name that holds a dot)`);
  return parts.length === 2 ? { schema: parts[0], name: parts[1] as string } : { schema: undefined, name: parts[0] as string };
}

/** How a table is shown to the user and kept in state: `schema.table`, a part quoted when it needs to be. */
export function tablePath(table: { schema: string | undefined; name: string }): string {
  const part = (name: string) => (/^[^".]+$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);
  return table.schema === undefined ? part(table.name) : `${part(table.schema)}.${part(table.name)}`;
}
