import { z } from 'zod';

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
