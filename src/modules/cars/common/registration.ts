/**
 * Swedish registration numbers (registreringsnummer): three letters and three characters, the last a digit or —
 * since 2019 — a letter (`ABC 123`, `ABC 12A`). Transportstyrelsen does not use I, Q, V, Å, Ä or Ö in the letter
 * group, nor I, Q, V, Å, Ä, Ö or O as the last letter. Personal plates (2–7 letters and digits) are accepted when
 * marked as such. Stored without space, upper-case.
 */
const STANDARD = /^[A-HJ-PR-UW-Z]{3}[0-9]{2}[0-9A-HJ-NPR-UW-Z]$/;
const PERSONAL = /^[A-ZÅÄÖ0-9 ]{2,7}$/;

export function normalizeRegistration(value: string, personal = false): string | null {
  const compact = value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '');
  if (personal) return PERSONAL.test(value.trim().toUpperCase()) && compact.length >= 2 ? compact : null;
  return STANDARD.test(compact) ? compact : null;
}

/** `ABC123` → `ABC 123`, as it is written on the plate and in Transportstyrelsen's register. */
export const formatRegistration = (compact: string, personal = false): string =>
  personal || compact.length !== 6 ? compact : `${compact.slice(0, 3)} ${compact.slice(3)}`;
