import { z } from 'zod';
import { GLOBAL_ID_PATTERN } from '../../infrastructure/mongo/global-id';
import { ECONOMY_YEARS, isCalendarDate } from '../dates';

/** Shared input pieces. Objects are strict everywhere: an unknown field is a 400 that names it. */
export const email = z.string().trim().toLowerCase().pipe(z.email().max(254));

const CONTROL_MESSAGE = 'must not contain control characters';
/** Any control character (NUL, ESC, BEL, newlines, tabs, C1 controls…). */
const CONTROL = /\p{Cc}/u;
/** Control characters other than tab, line feed and carriage return. */
const CONTROL_BUT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;

export interface TextOptions {
  /** Accept an empty text (after trimming); default false: at least 1 character. */
  allowEmpty?: boolean;
}

const freeText = (max: number, forbidden: RegExp, { allowEmpty = false }: TextOptions) => {
  const trimmed = z.string().trim();
  return (allowEmpty ? trimmed : trimmed.min(1)).max(max).refine((v) => !forbidden.test(v), CONTROL_MESSAGE);
};

/**
 * Free text people type on one line (names, titles, labels): trimmed, 1..max characters (0..max with `allowEmpty`),
 * no control characters (NUL, ESC, newlines, tabs…).
 */
export const text = (max: number, options: TextOptions = {}) => freeText(max, CONTROL, options);

/**
 * Free text people may type on several lines (notes, descriptions): trimmed, 1..max characters (0..max with
 * `allowEmpty`); line feeds, carriage returns and tabs are kept, every other control character (NUL, ESC, BEL…) is refused.
 */
export const multilineText = (max: number, options: TextOptions = {}) =>
  freeText(max, CONTROL_BUT_LINE_BREAKS, options);

export const password = z.string().min(10, 'at least 10 characters').max(256, 'at most 256 characters');

export const pageQuery = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** A calendar date `YYYY-MM-DD` (1900–2199: `ECONOMY_YEARS`, the range of every money record). */
export const calendarDate = z
  .string()
  .refine((value) => isCalendarDate(value, ECONOMY_YEARS), 'must be a calendar date YYYY-MM-DD')
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

export const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as SEK')
  .transform((v) => v.toUpperCase())
  .describe('ISO 4217 currency code');

/** A global id in a body or query (another organization's or a missing record is reported by the service). */
export const recordId = z.string().regex(GLOBAL_ID_PATTERN, 'must be a record id such as A000123');

/** Every DTO is made with this `createZodDto` (nestjs-zod's, with the OpenAPI 3.0 repair of nullable fields). */
export { createZodDto, fitsView, pageResponse } from './zod-dto';
