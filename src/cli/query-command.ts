import { LakeLayout } from '../lake/lake-layout.js';
import type { QueryColumn } from '../lake/query-job.js';
import { QueryWorkers } from '../lake/query-workers.js';
import { OrgsRepository } from '../services/ims/orgs.repository.js';
import { workerHeapMb } from '../services/query/query-limits.js';
import { maxResultRows } from '../services/query/query.schema.js';
import { runQuery } from '../services/query/run-query.js';
import { SandboxesRepository } from '../services/sandbox/sandboxes.repository.js';
import { openRuntime } from './runtime.js';

export interface QueryCommandOptions {
  org?: string;
  sandbox?: string;
  dataDir?: string;
  format?: string;
  json?: boolean;
  limit?: string;
  timeout?: string;
}

const formats = ['table', 'json', 'csv'] as const;
type Format = (typeof formats)[number];

/**
 * `tributary query "<SQL>"`: the same read-only SQL over the same dataset tables as
 * `POST /data/foundation/query/queries`, printed as a table, JSON or CSV.
 */
export async function queryCommand(sql: string, options: QueryCommandOptions): Promise<void> {
  if (options.json && options.format !== undefined && options.format !== 'json') throw new Error(`--json and --format ${options.format} ask for different outputs; give one`);
  const format = formats.find((f) => f === (options.json ? 'json' : (options.format ?? 'table')));
  if (!format) throw new Error(`--format must be one of ${formats.join(', ')}, got "${options.format}"`);
  const rows = positiveInteger(options.limit, maxResultRows, '--limit');
  const { config, store } = await openRuntime({ dataDir: options.dataDir });
  const limits = { ...config.query, timeoutMs: positiveInteger(options.timeout, config.query.timeoutMs / 1000, '--timeout') * 1000 };
  // The same worker process and bounds as the server's queries, so the command can be stopped and capped alike.
  const workers = new QueryWorkers({ size: 1, heapMb: workerHeapMb(limits) });
  try {
    const orgId = options.org ?? (await onlyOrg(new OrgsRepository(store.db)));
    const sandboxName = options.sandbox ?? 'prod';
    const sandbox = await new SandboxesRepository(store.db).findByName(orgId, sandboxName);
    if (!sandbox) throw new Error(`org ${orgId} has no sandbox "${sandboxName}"`);
    const answer = await runQuery({ db: store.db, layout: new LakeLayout(config.dataDir), workers }, { orgId, sandboxId: sandbox.id, sandboxName }, sql, { rows, limits });
    const kept = answer.rows ?? [];
    process.stdout.write(render(answer.columns, kept, format));
    if (answer.limitedBy === 'rows') process.stderr.write(`Only the first ${rows} rows are shown; --limit shows more.\n`);
    if (answer.limitedBy === 'bytes') process.stderr.write(`Only the first ${kept.length} rows are shown: a result keeps ${Math.round(limits.resultBytes / 1024 / 1024)} MB of rows at most (TRIBUTARY_QUERY_RESULT_MB).\n`);
  } finally {
    await workers.close();
    await store.close();
  }
}

/** Without --org, the data directory's only org; a server started once has exactly one, the development org. */
async function onlyOrg(orgs: OrgsRepository): Promise<string> {
  const all = await orgs.list();
  const [first] = all;
  if (first && all.length === 1) return first.id;
  if (!first) throw new Error('this data directory has no org yet: start the server once, or create credentials');
  throw new Error(`this data directory has several orgs (${all.map((o) => o.id).join(', ')}); choose one with --org`);
}

function positiveInteger(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

function render(columns: QueryColumn[], rows: Record<string, unknown>[], format: Format): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const cells = rows.map((row) => columns.map((c) => cellText(row[c.name] ?? null)));
  const names = columns.map((c) => c.name);
  if (format === 'csv') return [names, ...cells].map((line) => `${line.map(csvField).join(',')}\n`).join('');
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: string[]) => `${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')}\n`.replace(/ +\n$/, '\n');
  const rule = `${widths.map((w) => '-'.repeat(w)).join('-+-')}\n`;
  return `${line(names)}${rule}${cells.map(line).join('')}(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}

/** Nested XDM values (structs, lists, maps) print as JSON; NULL as nothing. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
