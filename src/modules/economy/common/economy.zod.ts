import { z } from 'zod';
import { MAX_AMOUNT, text } from '../../../common/http/zod';

/** Shared input pieces of the economy API; the ones other modules use too live in `src/common/http/zod.ts`. */
export { amount, calendarDate, currency, MAX_AMOUNT, recordId } from '../../../common/http/zod';

/** Query-string amounts. */
export const amountQuery = z.coerce.number().int('must be whole öre').min(0).max(MAX_AMOUNT);

export const moneyType = z.enum(['income', 'expense']);
export type MoneyType = z.infer<typeof moneyType>;

/** One-line free text (names, descriptions): the shared `text` (trimmed, 1..max, no control characters). */
export const shortText = text;
