import { canonicalJson } from './audit.hash';

export interface FieldChanges {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** Bookkeeping fields that change on every update and say nothing on their own. */
const IGNORED_BY_DEFAULT = new Set(['updatedAt', '__v']);

/**
 * Only the fields whose value differs between `before` and `after`: `{ before: {field: old}, after: {field: new} }`.
 * Compared by content (nested objects key-order independent, Dates by instant); a missing field and `null` count
 * as equal, and a field that disappears is reported as `null`. `fields` limits the comparison to those names;
 * without it every field of either side is compared except `updatedAt` and `__v`.
 * Secrets are not filtered here: `AuditService.record` strips them from whatever it is given.
 */
export function diffFields(
  before: object | null | undefined,
  after: object | null | undefined,
  fields?: readonly string[],
): FieldChanges {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const names =
    fields ?? [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => !IGNORED_BY_DEFAULT.has(f));
  const changes: FieldChanges = { before: {}, after: {} };
  for (const name of names) {
    const oldValue = Object.prototype.hasOwnProperty.call(b, name) ? (b[name] ?? null) : null;
    const newValue = Object.prototype.hasOwnProperty.call(a, name) ? (a[name] ?? null) : null;
    if (canonicalJson(oldValue) === canonicalJson(newValue)) continue;
    changes.before[name] = oldValue;
    changes.after[name] = newValue;
  }
  return changes;
}

/** True when `diffFields` found nothing. */
export function hasChanges(changes: FieldChanges): boolean {
  return Object.keys(changes.before).length > 0 || Object.keys(changes.after).length > 0;
}
