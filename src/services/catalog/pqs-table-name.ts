/**
 * The name a dataset has in SQL, its `adobe/pqs/table` tag. AEP's Query Service names tables with lower-case
 * letters, digits and underscores; anything else (a NUL, a quote, a space) would reach DuckDB as an identifier and
 * break every statement of the sandbox, not only those that name the table.
 */
export const pqsTableTag = 'adobe/pqs/table';

export const pqsTableNameMaxLength = 128;

const pqsTableNamePattern = new RegExp(`^[a-z0-9_]{1,${pqsTableNameMaxLength}}$`);

export function isPqsTableName(value: unknown): value is string {
  return typeof value === 'string' && pqsTableNamePattern.test(value);
}

/** The table name a dataset gets from its name when the client does not choose one: `Stripe Charges` → `stripe_charges`. */
export function pqsTableNameFrom(name: string | undefined): string {
  const derived = (name ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, pqsTableNameMaxLength);
  return derived === '' ? 'dataset' : derived;
}
