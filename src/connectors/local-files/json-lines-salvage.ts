import path from 'node:path';
import { sqlString } from '../../mapping/sql-text.js';
import type { SalvagedRead, SqlRunner } from '../source-connector.js';

/**
 * DuckDB's JSON reader fails a whole read on one malformed line. When that happens the files are read again as
 * plain lines: lines that are valid JSON are staged to a clean JSON-lines file and read from there, the others
 * are set aside with their file and line number. A raw control character cannot occur in valid JSON (it must be
 * escaped), so \x01 and \x02 are safe as the line reader's delimiter and as the writer's quote: a valid line is
 * never split, quoted or escaped on the way through.
 */
export function salvageJsonLines(files: string[], stagingDir: string, compression: string): (sql: SqlRunner) => Promise<SalvagedRead> {
  return async (sql) => {
    const list = `[${files.map(sqlString).join(', ')}]`;
    const readable = path.join(stagingDir, 'salvaged.jsonl');
    await sql.run(
      `CREATE TEMP TABLE source_lines AS SELECT * FROM (SELECT row_number() OVER () AS n, filename, json FROM read_csv(${list}, columns = {'json': 'VARCHAR'}, header = false, auto_detect = false, delim = chr(1), quote = '', escape = '', compression = ${sqlString(compression)}, filename = true)) WHERE trim(json) <> ''`,
    );
    await sql.run(`COPY (SELECT json FROM source_lines WHERE json_valid(json) ORDER BY n) TO ${sqlString(readable)} (FORMAT csv, header false, delim chr(1), quote chr(2), escape chr(2))`);
    // Line numbers (blank lines included) are counted per file from the row order DuckDB keeps for each file.
    await sql.run(
      `CREATE TEMP TABLE json_rejects AS SELECT json AS raw, line, 'MalformedJson: the line is not a JSON value (' || parse_filename(filename) || ')' AS message FROM (SELECT json, filename, n - min(n) OVER (PARTITION BY filename) + 1 AS line FROM source_lines) WHERE NOT json_valid(json)`,
    );
    return { relation: `read_json([${sqlString(readable)}], format = 'newline_delimited')`, rejects: 'SELECT raw, line, message FROM json_rejects' };
  };
}
