/** Lower-case, trimmed, inner whitespace collapsed: the form names, aliases and tags are stored and searched in. */
export function normalizeKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Escapes user input for a `$regex` (RE2 on FerretDB, PCRE on MongoDB: the same metacharacters). */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Distinct values in first-seen order. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
