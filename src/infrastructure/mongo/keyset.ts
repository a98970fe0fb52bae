import { CommonError } from '../../common/errors/domain-error';
import type { Page } from './pagination';

/**
 * Keyset (seek) pagination on `(field, _id)` for any sort field holding a string or a number — the foundation's
 * cursor pages only newest-first by createdAt. The cursor names the sort it belongs to, so a cursor from one sort
 * cannot be replayed against another. `_id` breaks ties: a total order, so walking all pages never repeats or
 * skips a record that does not change meanwhile.
 */
export interface KeysetSort<F extends string = string> {
  field: F;
  direction: 1 | -1;
}

type KeyValue = string | number;

interface CursorValue {
  f: string;
  d: 1 | -1;
  v: KeyValue;
  id: string;
}

const invalid = () =>
  new CommonError('VALIDATION_FAILED', 'cursor is not valid', [
    { path: 'cursor', message: 'not valid for this list and sort' },
  ]);

export function encodeKeysetCursor(sort: KeysetSort, value: KeyValue, id: string): string {
  return Buffer.from(
    JSON.stringify({ f: sort.field, d: sort.direction, v: value, id } satisfies CursorValue),
  ).toString('base64url');
}

function decode(cursor: string, sort: KeysetSort): CursorValue {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const c = value as Partial<CursorValue> | null;
  if (
    !c ||
    typeof c !== 'object' ||
    c.f !== sort.field ||
    c.d !== sort.direction ||
    typeof c.id !== 'string' ||
    (typeof c.v !== 'string' && typeof c.v !== 'number') ||
    (typeof c.v === 'number' && !Number.isFinite(c.v))
  ) {
    throw invalid();
  }
  return c as CursorValue;
}

/** The filter selecting the records after the cursor (empty without one). Join it with `$and`. */
export function keysetFilter(sort: KeysetSort, cursor: string | undefined): Record<string, unknown> {
  if (!cursor) return {};
  const c = decode(cursor, sort);
  const op = sort.direction === -1 ? '$lt' : '$gt';
  return { $or: [{ [sort.field]: { [op]: c.v } }, { [sort.field]: c.v, _id: { [op]: c.id } }] };
}

/** The Mongo sort for a keyset sort. */
export function keysetOrder(sort: KeysetSort): Record<string, 1 | -1> {
  return { [sort.field]: sort.direction, _id: sort.direction };
}

/** `rows` were read with `limit + 1`: the extra row only tells that another page exists. */
export function toKeysetPage<T extends { _id: string }>(
  rows: T[],
  limit: number,
  sort: KeysetSort,
  keyOf: (row: T) => KeyValue,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeKeysetCursor(sort, keyOf(last), last._id) : null,
  };
}
