import { z } from 'zod';

/** Shared input pieces. Objects are strict everywhere: an unknown field is a 400 that names it. */
export const email = z.string().trim().toLowerCase().pipe(z.email().max(254));

/** Free text people type (names, titles): trimmed, 1..max characters, no control characters (NUL, newlines…). */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !/\p{Cc}/u.test(v), 'must not contain control characters');

export const password = z.string().min(10, 'at least 10 characters').max(256, 'at most 256 characters');

export const pageQuery = z.strictObject({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
