/** Money is integer öre everywhere; these only format it. */

function splitOre(ore: number): { sign: string; kronor: string; ore: string } {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`Not an amount in öre: ${ore}`);
  const abs = Math.abs(ore);
  return {
    sign: ore < 0 ? '-' : '',
    kronor: String(Math.floor(abs / 100)),
    ore: String(abs % 100).padStart(2, '0'),
  };
}

const group = (digits: string, separator: string): string =>
  digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

/** `1 234,56 kr` (Swedish, a space as thousands separator). */
export function formatSek(ore: number): string {
  const p = splitOre(ore);
  return `${p.sign}${group(p.kronor, ' ')},${p.ore} kr`;
}

/** `SEK 1,234.56` (English). */
export function formatSekEn(ore: number): string {
  const p = splitOre(ore);
  return `${p.sign}SEK ${group(p.kronor, ',')}.${p.ore}`;
}

/** `1234.56` / `-1234.56`: kronor with a decimal point and two decimals, as SIE wants. */
export function kronorWithPoint(ore: number): string {
  const p = splitOre(ore);
  return `${p.sign}${p.kronor}.${p.ore}`;
}
