import { z } from 'zod';
import { text } from '../../../common/http/zod';
import { GLOBAL_ID_PATTERN } from '../../../infrastructure/mongo/global-id';
import { isCalendarDate } from './dates';

/** Shared input pieces of the economy API. */

/** A calendar date `YYYY-MM-DD` (1900–2199). */
export const calendarDate = z
  .string()
  .refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD')
  .describe('Calendar date YYYY-MM-DD');

/** 1 billion kronor in öre: far above any household or small-company amount, far below unsafe integers in sums. */
export const MAX_AMOUNT = 100_000_000_000;

/** Integer öre, > 0. */
export const amount = z
  .number()
  .int('must be whole öre')
  .positive('must be greater than 0')
  .max(MAX_AMOUNT)
  .describe('Amount in öre (integer, > 0)');

/** Query-string amounts. */
export const amountQuery = z.coerce.number().int('must be whole öre').min(0).max(MAX_AMOUNT);

export const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as SEK')
  .transform((v) => v.toUpperCase())
  .describe('ISO 4217 currency code');

export const moneyType = z.enum(['income', 'expense']);
export type MoneyType = z.infer<typeof moneyType>;

/** A global id in a body or query (another organization's or a missing record is reported by the service). */
export const recordId = z.string().regex(GLOBAL_ID_PATTERN, 'must be a record id such as A000123');

/** One-line free text (names, descriptions): the shared `text` (trimmed, 1..max, no control characters). */
export const shortText = text;
