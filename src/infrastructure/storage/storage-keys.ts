/** A key segment: starts with a letter or digit (so never `.` or `..`), then letters, digits, `.`, `_`, `-`. */
const SEGMENT = '[A-Za-z0-9][A-Za-z0-9._-]*';
const KEY = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);
/** A prefix: whole segments each followed by `/`, then optionally the start of one more segment. */
const PREFIX = new RegExp(`^(?:${SEGMENT}/)*(?:${SEGMENT})?$`);
const MAX_KEY_LENGTH = 512;

/** Leftover of an interrupted local write (`<key>.<12 hex>.tmp`): never listed, never migrated. */
export const TEMP_FILE = /\.[0-9a-f]{12}\.tmp$/;

export function isStorageKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= MAX_KEY_LENGTH && KEY.test(key) && !TEMP_FILE.test(key);
}

/** Throws for a key that is not one (a programming error: keys are built by the application). */
export function assertKey(key: string): string {
  if (!isStorageKey(key)) throw new Error(`Not a storage key: ${JSON.stringify(key)}`);
  return key;
}

export function assertPrefix(prefix: string, { allowEmpty }: { allowEmpty: boolean }): string {
  if (typeof prefix !== 'string' || prefix.length > MAX_KEY_LENGTH || !PREFIX.test(prefix))
    throw new Error(`Not a storage key prefix: ${JSON.stringify(prefix)}`);
  if (!allowEmpty && prefix === '') throw new Error('An empty prefix would mean every object');
  return prefix;
}

/** Joins validated segments into a key: `storageKey('exports', orgId, `${id}.zip`)`. */
export function storageKey(...segments: string[]): string {
  return assertKey(segments.join('/'));
}
