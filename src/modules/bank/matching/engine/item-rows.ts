/**
 * The candidate index's item data: STRIDE numbers per item in one Float64Array, at these offsets (D_…), and the bits
 * of its flags.
 */

/**
 * Per item, one cache line of numbers (most lines touch a few items at random: one miss each, not one per array).
 */
export const STRIDE = 8;
export const D_AMOUNT = 0;
export const D_DAY = 1;
export const D_FLAGS = 2;
/** Serial of the line that last looked at the item (dedupes candidates without a Set per line). */
export const D_SEEN = 3;
/** Next item with the same amount and direction / the same OCR key (-1: none). */
export const D_NEXT_AMOUNT = 4;
export const D_NEXT_OCR = 5;
/** The item's names: ids[data[D_NAMES]] … ids[data[D_NAMES of the next item]] (a last row closes the list). */
export const D_NAMES = 6;
/** The item's OCR key (ocrKey; set for items with an OCR number). */
export const D_OCR_KEY = 7;

/** D_FLAGS bits. */
export const OUT = 1;
export const BILL = 2;
export const HAS_OCR = 4;
