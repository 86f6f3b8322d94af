import type { RestConnectorDefinition, StreamDefinition } from './definition.js';

/** Column names the engine adds to every staged row. */
const reservedColumns = new Set(['_deleted', '__seq']);

/**
 * Checks a connector definition when it is loaded, so a mistake in one (a primary key that is no column, a
 * deletion event the stream never asks for) stops the server at start instead of failing runs later.
 * Returns every problem found; an empty list means the definition holds together.
 */
export function definitionProblems(definition: RestConnectorDefinition): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const stream of definition.streams) {
    if (names.has(stream.name)) problems.push(`${stream.name}: two streams have this name`);
    names.add(stream.name);
    problems.push(...streamProblems(stream).map((problem) => `${stream.name}: ${problem}`));
  }
  for (const rate of [definition.rateLimit, ...(definition.rateLimit.byCredentials ?? [])]) {
    if (!(rate.requestsPerSecond > 0) || !(rate.burst >= 1)) problems.push('the rate limit must allow at least one request');
  }
  for (const { when } of definition.rateLimit.byCredentials ?? []) {
    if (when.prefixes.length === 0 || when.prefixes.includes('')) problems.push(`a rate for credentials by ${when.param} must name prefixes, none empty`);
  }
  if (definition.concurrency < 1) problems.push('concurrency must be at least 1');
  return problems;
}

function streamProblems(stream: StreamDefinition): string[] {
  const problems: string[] = [];
  const columns = new Set<string>();
  for (const column of stream.columns) {
    if (columns.has(column.name)) problems.push(`column ${column.name} is defined twice`);
    if (reservedColumns.has(column.name)) problems.push(`column name ${column.name} is reserved for the engine`);
    if (column.epochSeconds && column.type !== 'date-time') problems.push(`column ${column.name} holds epoch seconds but is not a date-time`);
    columns.add(column.name);
  }
  if (!columns.has(stream.primaryKey)) problems.push(`the primary key ${stream.primaryKey} is not a column`);
  if (stream.cursor && !columns.has(stream.cursor.column)) problems.push(`the cursor column ${stream.cursor.column} is not a column`);
  if (stream.cursor && stream.cursor.maxWindowMs <= 0) problems.push('the cursor\'s windows must have a length');
  if (stream.cursor?.resolutionMs !== undefined && !(stream.cursor.resolutionMs >= 1 && stream.cursor.resolutionMs <= stream.cursor.maxWindowMs)) problems.push('the cursor\'s resolution must be at least 1 ms and no wider than its windows');
  if (stream.changes) {
    if (stream.changes.types.length === 0) problems.push('the change feed asks for no event types');
    const unasked = stream.changes.deletedTypes.filter((t) => !stream.changes?.types.includes(t));
    if (unasked.length > 0) problems.push(`deletion events ${unasked.join(', ')} are never asked for`);
    if (stream.changes.maxTypesPerRequest < 1) problems.push('the change feed must ask for at least one type a request');
  }
  if (stream.partitions && (stream.partitions.groupSize ?? 1) < 1) problems.push('partition groups must hold at least one value');
  for (const tolerated of stream.tolerate ?? []) {
    if (tolerated.status < 300) problems.push(`status ${tolerated.status} is a success, not something to tolerate`);
  }
  return problems;
}
