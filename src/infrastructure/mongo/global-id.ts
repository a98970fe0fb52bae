/** Global ids: a prefix plus the sequence number zero-padded to at least six digits (`A000001`, `A1000000`). */
export const GLOBAL_ID_PATTERN = /^[A-Z]{1,3}\d{6,}$/;
const MIN_DIGITS = 6;

export function formatGlobalId(prefix: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Not a valid id number: ${n}`);
  return prefix + String(n).padStart(MIN_DIGITS, '0');
}

/** The number behind an id with this prefix, or null when the id is not of our shape. */
export function parseGlobalId(prefix: string, id: string): number | null {
  if (!id.startsWith(prefix) || !GLOBAL_ID_PATTERN.test(id)) return null;
  const digits = id.slice(prefix.length);
  if (digits.length > MIN_DIGITS && digits.startsWith('0')) return null; // only one spelling per number
  const n = Number(digits);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

export function isGlobalId(prefix: string, id: unknown): id is string {
  return typeof id === 'string' && parseGlobalId(prefix, id) !== null;
}
