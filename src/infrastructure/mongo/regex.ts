/** Escapes user input for a `$regex` (RE2 on FerretDB, PCRE on MongoDB: the same metacharacters). */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
