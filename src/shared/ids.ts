const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row, and must not reach SQL (it would fail the whole batch). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Ids as stored (lower case), so an id sent in upper case finds the same row and cache entry. */
export function normaliseId(value: string): string {
  return value.trim().toLowerCase();
}
