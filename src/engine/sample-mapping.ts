import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDbSession } from '../lake/duckdb-session.js';
import { CompileError } from '../mapping/compile-expression.js';
import { compileMapping } from '../mapping/compile-mapping.js';
import { identityRules } from '../mapping/identity-mapping.js';
import type { MappingRule } from '../mapping/mapping-rule.js';
import { sqlIdentifier, sqlString } from '../mapping/sql-text.js';
import type { JsonObject, JsonValue } from '../xdm/standard/json-value.js';

/** Why one sample row would not land as it is, in the terms of Data Prep's `TransformErrorInfo`. */
export interface SampleError {
  code: string;
  exception: string;
  destination?: string;
  source?: string;
  sourceType?: MappingRule['sourceType'];
}

/** One sample row as it would land: the XDM it maps to (fields that failed are null, as Data Prep nulls them) and why not. */
export interface SampleResult {
  data: JsonObject;
  errors: SampleError[];
}

/** Rows mapped at once; a preview or a synchronous validation is a sample, never a load. */
export const maxSampleRows = 1000;

const rowKey = '__tributary_row';

/**
 * Maps a few JSON records to XDM the way a run maps its rows: the same compiler, the same conversions and
 * constraint checks, in DuckDB. Without `rules` each field maps onto itself (the records are XDM already) and
 * a field the schema lacks is an error of its row. Records are sparse, so a rule whose source field no record
 * has reads null, and says so in each row's errors.
 */
export async function mapSampleRows(input: {
  rows: JsonObject[];
  schema: JsonObject;
  rules?: MappingRule[] | undefined;
  tempDir: string;
  /** Off for streamed records, each of which may carry only some of the fields a mapping reads. */
  reportAbsentSources?: boolean;
}): Promise<SampleResult[]> {
  if (input.rows.length === 0) return [];
  if (input.rows.length > maxSampleRows) throw new CompileError(`at most ${maxSampleRows} sample rows are mapped at once`);
  const dir = path.join(input.tempDir, `sample-${crypto.randomBytes(8).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'rows.json');
  fs.writeFileSync(file, input.rows.map((row, i) => JSON.stringify({ ...row, [rowKey]: i })).join('\n'));
  const duck = await DuckDbSession.open({ tempDirectory: dir, allowedDirectories: [dir] });
  try {
    const relation = `read_json(${sqlString(file)}, format = 'newline_delimited')`;
    const columns = (await duck.rows(`DESCRIBE SELECT * FROM ${relation}`))
      .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }))
      .filter((c) => c.name !== rowKey);
    const identity = input.rules ? undefined : identityRules(input.schema, columns);
    const rules = input.rules ?? identity?.rules ?? [];
    const extraneous = identity?.unknown ?? [];
    const missing = input.reportAbsentSources === false ? [] : missingSources(rules, columns.map((c) => c.name));
    if (rules.length === 0) {
      return input.rows.map(() => ({ data: {}, errors: extraneous.map((field) => extraneousError(field)) }));
    }
    const compiled = compileMapping(rules, input.schema, columns, 's', { extraneous, absentColumns: 'null' });
    const fields = compiled.columns.map((c) => `${sqlString(c)}, ${sqlIdentifier(c)}`).join(', ');
    const mapped = await duck.rows(
      `SELECT ${sqlIdentifier(rowKey)} AS row, CAST(to_json(json_object(${fields})) AS VARCHAR) AS data, CAST(to_json(_errors) AS VARCHAR) AS errors FROM (${compiled.select(relation, { carry: [rowKey] })}) ORDER BY 1`,
    );
    return mapped.map((row) => {
      const data = withoutNulls(JSON.parse(String(row.data)) as JsonValue);
      const errors = (JSON.parse(String(row.errors)) as { code: string; message: string }[]).map((e) => describeError(e, rules));
      return { data: isObject(data) ? data : {}, errors: [...missing, ...errors] };
    });
  } finally {
    duck.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rules that read a field none of the sample rows has: likely a misspelt source, worth saying on every row. */
function missingSources(rules: MappingRule[], columns: string[]): SampleError[] {
  const present = new Set(columns.map((c) => c.toLowerCase()));
  return rules
    .filter((rule) => rule.sourceType === 'ATTRIBUTE' && !present.has((rule.source.split(/[.[]/)[0] ?? '').toLowerCase()))
    .map((rule) => ({ code: 'MAPPER-3701-400', exception: `no sample row has the source field "${rule.source}"; ${rule.destination} stays empty`, destination: rule.destination, source: rule.source, sourceType: rule.sourceType }));
}

function extraneousError(field: string): SampleError {
  return { code: 'INGEST-1556-400', exception: `extraneous key [${field}] is not permitted: the schema has no such field`, source: field };
}

/** The rule an error is about, found by the destination its message starts with. */
function describeError(error: { code: string; message: string }, rules: MappingRule[]): SampleError {
  const destination = /^([^\s:]+): /.exec(error.message)?.[1] ?? /^required field (\S+) /.exec(error.message)?.[1];
  const rule = destination === undefined ? undefined : rules.find((r) => r.destination === destination);
  const field = /extraneous key \[([^\]]+)\]/.exec(error.message)?.[1];
  return {
    code: error.code,
    exception: error.message,
    ...(destination !== undefined ? { destination } : {}),
    ...(rule ? { source: rule.source, sourceType: rule.sourceType } : field ? { source: field } : {}),
  };
}

function withoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = withoutNulls(child);
  return out;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
