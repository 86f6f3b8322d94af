import type { DuckDBBigIntVector, DuckDBBooleanVector, DuckDBUTinyIntVector } from '@duckdb/node-api';
import type { DuckDbSession } from './duckdb-session.js';

/** Which rows the tally lets through, and whose timestamps it keeps the latest of. */
export interface RowTallyOptions {
  /** The SQL function's name, unique in its session. */
  name: string;
  /** The kind of row the function returns true for; every other kind is counted and dropped. */
  pass: number;
  /** The kinds whose `at` values the tally keeps the greatest of. */
  timed: readonly number[];
}

/**
 * Counts the rows of one statement by kind as it reads them, and keeps the greatest `at` value (epoch
 * microseconds) of the timed kinds: the SQL function `name(kind UTINYINT, at BIGINT) → BOOLEAN`, used as the
 * only condition of a WHERE, so that DuckDB calls it once for every row (it is volatile: never folded,
 * repeated or pushed into a scan). It lets a statement that writes rows also say how many it saw of each kind,
 * without a second read of its source. Read the counts only after that statement, and use the function in one
 * statement of the session only: a second read would count its rows again.
 *
 * @example
 * const tally = await registerRowTally(duck, { name: 'tally_rows', pass: 1, timed: [1] });
 * await duck.run(`COPY (SELECT * FROM t WHERE tally_rows(CAST(kind AS UTINYINT), epoch_us(at))) TO 'rows.parquet'`);
 * tally.count(1); // rows written
 */
export class RowTally {
  private readonly counts = new Array<number>(256).fill(0);
  private readonly timed = new Uint8Array(256);
  private greatest: bigint | null = null;

  constructor(private readonly options: RowTallyOptions) {
    for (const kind of options.timed) this.timed[kind] = 1;
  }

  count(kind: number): number {
    return this.counts[kind] ?? 0;
  }

  /** The greatest `at` among the timed rows, or null when none had one. */
  latest(): bigint | null {
    return this.greatest;
  }

  /** Folds one chunk of rows (DuckDB's vectors of at most 2,048) into the tally and writes each row's verdict. */
  add(kinds: DuckDBUTinyIntVector, at: DuckDBBigIntVector, verdicts: DuckDBBooleanVector, rows: number): void {
    const { pass } = this.options;
    let greatest = this.greatest;
    // The loop runs for every row of the source, on the JavaScript thread while a DuckDB thread waits for it:
    // it does no more than it must (about 50 ns a row).
    for (let i = 0; i < rows; i += 1) {
      const kind = kinds.getItem(i) ?? 0;
      this.counts[kind] = (this.counts[kind] ?? 0) + 1;
      if (this.timed[kind] === 1) {
        const value = at.getItem(i);
        if (value !== null && (greatest === null || value > greatest)) greatest = value;
      }
      verdicts.setItem(i, kind === pass);
    }
    this.greatest = greatest;
    verdicts.flush();
  }
}

/** Registers a tally's function on the session and returns the tally it fills. */
export async function registerRowTally(session: DuckDbSession, options: RowTallyOptions): Promise<RowTally> {
  const { DuckDBScalarFunction, DuckDBUTinyIntVector, DuckDBBigIntVector, DuckDBBooleanVector, UTINYINT, BIGINT, BOOLEAN } = await import('@duckdb/node-api');
  const tally = new RowTally(options);
  session.registerFunction(
    DuckDBScalarFunction.create({
      name: options.name,
      parameterTypes: [UTINYINT, BIGINT],
      returnType: BOOLEAN,
      // Volatile: DuckDB must call it for every row, once. Special handling: rows with a null `at` (the ones
      // without a usable timestamp) must reach it too, where by default DuckDB would answer null for them.
      volatile: true,
      specialHandling: true,
      mainFunction: (info, chunk, output) => {
        const kinds = chunk.getColumnVector(0);
        const at = chunk.getColumnVector(1);
        if (!(kinds instanceof DuckDBUTinyIntVector && at instanceof DuckDBBigIntVector && output instanceof DuckDBBooleanVector)) {
          info.setError(`${options.name} takes (UTINYINT, BIGINT) and returns BOOLEAN`);
          return;
        }
        tally.add(kinds, at, output, chunk.rowCount);
      },
    }),
  );
  return tally;
}
