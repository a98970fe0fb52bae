/** Mod-10 (Luhn) check over a digit string, check digit last. Used by OCR numbers, personnummer, orgnr. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Swedish personnummer / samordningsnummer: `YYYYMMDD-NNNN`, `YYMMDD-NNNN`, with or without the dash (`+` for
 * 100+ years). Returns the normalized 12-digit form `YYYYMMDDNNNN`, or null when invalid (date or check digit).
 */
export function normalizePersonnummer(input: string, today = new Date()): string | null {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(input.trim());
  if (!m) return null;
  const [, century, yy, mm, dd, sep, tail] = m as unknown as [
    string,
    string | undefined,
    string,
    string,
    string,
    string,
    string,
  ];
  let fullYear: number;
  if (century) {
    fullYear = Number(century + yy);
  } else {
    const thisYear = today.getUTCFullYear();
    fullYear = Math.floor(thisYear / 100) * 100 + Number(yy);
    if (fullYear > thisYear) fullYear -= 100;
    if (sep === '+') fullYear -= 100;
  }
  const month = Number(mm);
  const rawDay = Number(dd);
  const day = rawDay > 60 ? rawDay - 60 : rawDay; // samordningsnummer add 60 to the day
  const date = new Date(Date.UTC(fullYear, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (!luhnValid(yy + mm + dd + tail)) return null;
  return `${fullYear}${mm}${dd}${tail}`;
}
