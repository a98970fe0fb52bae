import { createHash } from 'node:crypto';
import type { ParsedStatementLine } from './statement';

/**
 * The de-duplication key of a bank line, stored as `dedupKey` with a unique index {organizationId, dedupKey}:
 * a second insert of the same line fails with a duplicate key and is counted as a duplicate, so importing a file
 * twice — or two imports racing — never creates a line twice.
 *
 * 1. The bank's own reference (camt `AcctSvcrRef`, or a CSV column mapped to it): unique per account by definition.
 * 2. Else the end-to-end id the payer set, with the amount and date (payers reuse ids less carefully than banks).
 * 3. Else account + booking date + amount + normalised text, plus the occurrence of that combination within the
 *    file (`#2` for the second identical coffee on the same day): identical rows in one file stay separate lines,
 *    while the same file or an overlapping one re-imported produces the same keys again.
 *
 * The key is a SHA-256 (base64url) of that text, so the index holds short, uniform values.
 */
export function normalizeLineText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function dedupSource(bankAccountId: string, line: ParsedStatementLine, occurrence: number): string {
  if (line.bankReference) return `ref|${bankAccountId}|${line.bankReference}`;
  if (line.endToEndId) return `e2e|${bankAccountId}|${line.endToEndId}|${line.bookingDate}|${line.amount}`;
  return `txt|${bankAccountId}|${line.bookingDate}|${line.amount}|${normalizeLineText(line.text)}|${occurrence}`;
}

/** Keys for a whole file, in order; the occurrence counter only applies to lines without a reference. */
export function dedupKeys(bankAccountId: string, lines: readonly ParsedStatementLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const base = `${line.bookingDate}|${line.amount}|${normalizeLineText(line.text)}`;
    const occurrence = line.bankReference || line.endToEndId ? 1 : (seen.get(base) ?? 0) + 1;
    if (!line.bankReference && !line.endToEndId) seen.set(base, occurrence);
    return createHash('sha256')
      .update(dedupSource(bankAccountId, line, occurrence))
      .digest('base64url');
  });
}
