import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** Counts the rows every query returns, by the tables it reads, so a test can see how much a request read. */
export class RowCounter implements KyselyPlugin {
  private readonly tables = new WeakMap<object, string[]>();
  rows = new Map<string, number>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.tables.set(args.queryId, tablesIn(args.node));
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const table of this.tables.get(args.queryId) ?? []) this.rows.set(table, (this.rows.get(table) ?? 0) + args.result.rows.length);
    return args.result;
  }

  read(table: string): number {
    return this.rows.get(table) ?? 0;
  }

  reset(): void {
    this.rows = new Map();
  }
}

/** The names of the tables a query names anywhere (FROM, JOIN, subqueries). */
function tablesIn(node: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(node)) node.forEach((child) => tablesIn(child, found));
  else if (node !== null && typeof node === 'object') {
    const operation = node as OperationNode & { table?: { identifier?: { name?: unknown } } };
    if (operation.kind === 'TableNode' && typeof operation.table?.identifier?.name === 'string') found.add(operation.table.identifier.name);
    for (const child of Object.values(node)) tablesIn(child, found);
  }
  return [...found];
}
