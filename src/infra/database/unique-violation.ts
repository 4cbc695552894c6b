/** True when a driver error is a unique-constraint violation (Postgres, SQLite or SQL Server). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; number?: number; driverError?: { code?: string; number?: number } };
  const code = err.driverError?.code ?? err.code;
  const num = err.driverError?.number ?? err.number;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || num === 2627 || num === 2601;
}
