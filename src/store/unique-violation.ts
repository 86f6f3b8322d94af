/** Another object of the same kind in the sandbox already has this unique key. */
export class UniqueViolation extends Error {
  constructor(readonly kind: string, readonly uniqueKey: string | null | undefined) {
    super(`a ${kind} with key "${uniqueKey ?? ''}" already exists`);
    this.name = 'UniqueViolation';
  }
}

/** SQLite and PostgreSQL report a unique-index clash differently; both become `UniqueViolation`. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
