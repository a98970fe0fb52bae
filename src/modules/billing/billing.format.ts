/** Formatting for texts people read (banners, mails). Money is integer öre. */

/** 123450 → `1 234,50 kr` (sv) / `SEK 1,234.50` (en). */
export function formatAmount(ore: number, locale: 'sv' | 'en'): string {
  const negative = ore < 0;
  const abs = Math.abs(Math.trunc(ore));
  const kronor = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  const group = (sep: string) => String(kronor).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const sign = negative ? '-' : '';
  return locale === 'sv' ? `${sign}${group('\u00a0')},${rest}\u00a0kr` : `${sign}SEK ${group(',')}.${rest}`;
}

/** `1 dag` / `3 dagar`, `1 day` / `3 days`. */
export function formatDays(n: number, locale: 'sv' | 'en'): string {
  if (locale === 'sv') return `${n} ${n === 1 ? 'dag' : 'dagar'}`;
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}
