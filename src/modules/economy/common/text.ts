export { normalizeKey } from '../../../common/text';

export { escapeRegex } from '../../../infrastructure/mongo/regex';

/** Distinct values in first-seen order. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
