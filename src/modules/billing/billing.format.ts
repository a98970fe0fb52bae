/** Formatting for texts people read (banners, mails); money goes through `formatMoney` (`src/common/money.ts`). */

/** `1 dag` / `3 dagar`, `1 day` / `3 days`. */
export function formatDays(n: number, locale: 'sv' | 'en'): string {
  if (locale === 'sv') return `${n} ${n === 1 ? 'dag' : 'dagar'}`;
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}
