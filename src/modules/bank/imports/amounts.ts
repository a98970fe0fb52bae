/**
 * Amounts as Swedish banks print them, to integer öre, without floating point:
 * `1 234,56`, `-1234,56`, `1.234,56`, `1234,56-` (trailing minus), `(1 234,56)` (parentheses), `−12,50`
 * (U+2212), `+500`, `1 234,56 kr`, `SEK 12,00`, `12:-`. Spaces of any kind (also no-break) are thousands
 * separators; with a decimal comma a dot may separate thousands, with a decimal point a comma may — but only in
 * proper groups of three (`1.234,56`), so a wrong decimal setting fails instead of silently scaling by 100.
 */
export type DecimalSeparator = ',' | '.';

const SPACES = /[\s\u00a0\u202f\u2007\u2009]/g;
const CURRENCY = /^(?:sek|kr\.?)\s*|\s*(?:sek|kr\.?|:-)$/gi;

export function parseAmount(raw: string, decimal: DecimalSeparator = ','): number | null {
  let text = raw.trim().replace(CURRENCY, '').trim();
  if (text === '') return null;
  let negative = false;
  if (text.startsWith('(') && text.endsWith(')')) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  if (/^[-\u2212]/.test(text)) {
    negative = !negative;
    text = text.slice(1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  } else if (/[-\u2212]$/.test(text)) {
    negative = !negative;
    text = text.slice(0, -1);
  }
  text = text.replace(CURRENCY, '').replace(SPACES, '');
  const thousands = decimal === ',' ? '.' : ',';
  const [intPart = '', fracPart, ...more] = text.split(decimal);
  if (more.length) return null;
  let digits = intPart;
  if (digits.includes(thousands)) {
    if (!new RegExp(`^\\d{1,3}(\\${thousands}\\d{3})+$`).test(digits)) return null;
    digits = digits.split(thousands).join('');
  }
  if (!/^\d+$/.test(digits) && !(digits === '' && fracPart !== undefined)) return null;
  if (fracPart !== undefined && !/^\d{1,2}$/.test(fracPart)) return null;
  const ore = Number(digits || '0') * 100 + Number((fracPart ?? '0').padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) return null;
  return negative && ore !== 0 ? -ore : ore;
}
