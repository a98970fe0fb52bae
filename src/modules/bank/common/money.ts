/**
 * Money is integer öre everywhere; this file only writes it for file formats (SIE4). Texts people read use
 * `formatMoney` (`src/common/money.ts`).
 */

function splitOre(ore: number): { sign: string; kronor: string; ore: string } {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`Not an amount in öre: ${ore}`);
  const abs = Math.abs(ore);
  return {
    sign: ore < 0 ? '-' : '',
    kronor: String(Math.floor(abs / 100)),
    ore: String(abs % 100).padStart(2, '0'),
  };
}

/** `1234.56` / `-1234.56`: kronor with a decimal point and two decimals, as SIE wants. */
export function kronorWithPoint(ore: number): string {
  const p = splitOre(ore);
  return `${p.sign}${p.kronor}.${p.ore}`;
}
