/** AI categorization's limits and defaults (docs/ai.md "Categorization"). */

/** Inputs in one `POST /ai/categorize`. */
export const MAX_BATCH = 500;

/**
 * Default automatic threshold: a created or imported transaction gets the top category only at this confidence or
 * above (else it keeps a suggestion). Confidence is calibrated (bench:ai-categorize), so this is the precision asked
 * of automatic categories: ≥ 98 %.
 */
export const DEFAULT_AUTO_THRESHOLD = 0.98;
