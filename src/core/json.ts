/** JSON shapes every wire reader checks, client and server alike. */

/** True for a JSON object (not an array, not null): what every wire message is checked with. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
