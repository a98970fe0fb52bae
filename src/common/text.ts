/** Lower-case, trimmed, inner whitespace collapsed: the form names, aliases and tags are stored and searched in. */
export function normalizeKey(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}
