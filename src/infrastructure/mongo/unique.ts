/** A duplicate-key error (MongoDB and FerretDB both answer inserts with code 11000). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * A unique-index violation by any write. MongoDB answers 11000 for inserts and updates; FerretDB 1.x answers an
 * *update* that breaks a unique index with code 1 (InternalError) and its backend's message (MONGO-COMPAT #4).
 * Updates are still checked before they run; this catches the request that loses a race past that check.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (isDuplicateKey(error)) return true;
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.code === 1 &&
    typeof e.message === 'string' &&
    /UNIQUE constraint failed|duplicate key value violates unique constraint/.test(e.message)
  );
}

/**
 * What a repository method answers when a unique index already holds the value it writes (an email, a name, an
 * invoice number): services compare with it (`if (result === TAKEN)`) instead of catching driver errors.
 */
export const TAKEN = Symbol('taken');
export type Taken = typeof TAKEN;

/** Runs a write; a unique-index violation comes back as `TAKEN`, every other error is thrown. */
export async function unlessTaken<R>(write: () => Promise<R>): Promise<R | Taken> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) return TAKEN;
    throw error;
  }
}
