/**
 * The distinct item names of a candidate index with integer ids: their features, their word-prefix blocks (stage 3
 * finds items through the blocks of the line's names) and per name its items sorted by amount (one radix sort of
 * the items).
 */
import type { NameFeatures } from '../../../../common/names';
import { D_AMOUNT, D_NAMES, STRIDE } from './item-rows';

export const PREFIX_LENGTH = 4;
/** Name blocks larger than this are skipped when the line also has a smaller one. */
export const MAX_BLOCK_NAMES = 16;

/** First letters of each word of 3+ characters of the core name (generic words dropped): the name blocks. */
export function prefixesOf(f: NameFeatures): string[] {
  const norm = f.core;
  const out: string[] = [];
  // the words of a normalised name are separated by single spaces
  for (let start = 0; start < norm.length;) {
    let end = norm.indexOf(' ', start);
    if (end < 0) end = norm.length;
    if (end - start >= 3) out.push(norm.slice(start, start + Math.min(PREFIX_LENGTH, end - start)));
    start = end + 1;
  }
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Distinct item names with integer ids: features, word-prefix blocks, and per name its items sorted by amount. */
export interface NameIndex {
  features: NameFeatures[];
  /** Item names by id, item after item (each item's range starts at its D_NAMES, ends at the next one's). */
  ids: Int32Array;
  /** Items per name id, sorted by amount: items[itemOffsets[id] … itemOffsets[id + 1]). */
  itemOffsets: Int32Array;
  items: Int32Array;
  /** The amounts of `items`, position by position. */
  amounts: Float64Array;
  /** Word prefix → name ids. */
  byPrefix: Map<string, number[]>;
  /** Line that last visited a name (stage 3). */
  visited: Int32Array;
}

/** A name's features (line side and item side) and, for stage 3, its name blocks. */
export interface LineName extends NameFeatures {
  blocks: number[][] | null;
  /** One of the blocks has at most MAX_BLOCK_NAMES names. */
  selective: boolean;
  /**
   * Stage 3 for a line with only this name: the names of its blocks similar enough (≥ 0.5), in visiting order —
   * similarPool[similarFrom … similarFrom + similarCount) (-1: not yet known).
   */
  similarFrom: number;
  similarCount: number;
}

/**
 * The items' positions sorted by amount (stable): a radix sort on 11-bit digits when the amounts are whole öre
 * below 2^33 (always, in practice), else a comparison sort.
 */
function amountOrder(data: Float64Array, n: number): Int32Array {
  let order = new Int32Array(n);
  let max = 0;
  let whole = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    const amount = amountOf(data, i);
    if (!(amount >= 0 && amount < 8_589_934_592 && Math.floor(amount) === amount)) whole = false;
    else if (amount > max) max = amount;
  }
  if (!whole) {
    const sorted = Array.from(order).sort((a, b) => amountOf(data, a) - amountOf(data, b) || a - b);
    return Int32Array.from(sorted);
  }
  let spare = new Int32Array(n);
  const counts = new Int32Array(2048);
  for (let scale = 1; scale <= max; scale *= 2048) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(amountOf(data, order[k]) / scale) & 2047]++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = order[k];
      spare[counts[(amountOf(data, i) / scale) & 2047]++] = i;
    }
    const swap = order;
    order = spare;
    spare = swap;
  }
  return order;
}

function amountOf(data: Float64Array, i: number): number {
  return data[i * STRIDE + D_AMOUNT];
}

/**
 * The name index of n items (their rows in `data`) from the item names' ids (item after item, `total` of them) and
 * the number of items per name.
 */
export function buildNameIndex(
  data: Float64Array,
  n: number,
  features: LineName[],
  perName: number[],
  ids: Int32Array,
  total: number,
): NameIndex {
  const itemOffsets = new Int32Array(features.length + 1);
  for (let id = 0; id < features.length; id++) itemOffsets[id + 1] = itemOffsets[id] + perName[id];
  const fill = itemOffsets.slice(0, features.length);
  const items = new Int32Array(total);
  const amounts = new Float64Array(total);
  // items in amount order: every name's list comes out sorted by amount
  const order = amountOrder(data, n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const amount = data[i * STRIDE + D_AMOUNT];
    for (let p = data[i * STRIDE + D_NAMES], end = data[(i + 1) * STRIDE + D_NAMES]; p < end; p++) {
      const at = fill[ids[p]]++;
      items[at] = i;
      amounts[at] = amount;
    }
  }
  const byPrefix = new Map<string, number[]>();
  for (let id = 0; id < features.length; id++) {
    const prefixes = prefixesOf(features[id]);
    prefixes.forEach((prefix, i) => {
      if (prefixes.indexOf(prefix) === i) push(byPrefix, prefix, id);
    });
  }
  return {
    features,
    ids,
    itemOffsets,
    items,
    amounts,
    byPrefix,
    visited: new Int32Array(features.length),
  };
}
