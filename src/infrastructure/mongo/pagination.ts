import { CommonError } from '../../common/errors/domain-error';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

interface CursorValue {
  t: string; // createdAt ISO
  id: string;
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify({ t: createdAt.toISOString(), id } satisfies CursorValue)).toString(
    'base64url',
  );
}

/** Newest first on (createdAt, _id): a total order that survives the id width growing past six digits. */
export function cursorFilter(cursor: string | undefined): Record<string, unknown> {
  if (!cursor) return {};
  let value: CursorValue;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorValue;
  } catch {
    throw new CommonError('VALIDATION_FAILED', 'cursor is not valid');
  }
  const t = new Date(value?.t);
  if (typeof value?.id !== 'string' || Number.isNaN(t.getTime())) {
    throw new CommonError('VALIDATION_FAILED', 'cursor is not valid');
  }
  return { $or: [{ createdAt: { $lt: t } }, { createdAt: t, _id: { $lt: value.id } }] };
}

export const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

export function toPage<T extends { _id: string; createdAt: Date }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last._id) : null };
}
