/** Swedish postnummer `NNN NN` (with or without the space). Returns `NNN NN`, or null. */
export function normalizeSwedishPostalCode(input: string): string | null {
  const m = /^(\d{3})\s?(\d{2})$/.exec(input.trim());
  return m ? `${m[1]} ${m[2]}` : null;
}
