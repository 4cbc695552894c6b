const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its 8-4-4-4-12 hex form (what the databases' uuid types accept). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
