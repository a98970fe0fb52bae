/**
 * The open-addressing hash table of the candidate index (exact amounts, OCR numbers, invoice numbers): a key maps to
 * the first item of a chain that runs through the items' rows — no array per bucket, no string keys.
 */

/**
 * Open-addressing table: key → first item of a chain (the chains run through the item data). A slot is two int32s,
 * a 32-bit tag of the key and the chain's first item (-1: empty); the key itself is read back from the keys the
 * caller keeps per item (keys[i · stride + offset]) when the tag matches.
 */
export class ChainTable {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    capacity: number,
    /** Item i's key: keys[i · stride + offset]. */
    private readonly keys: Float64Array,
    private readonly stride: number,
    private readonly offset: number,
    /** Item i's successor in its chain: data[i · STRIDE + link] (item data) or links[i]. */
    private readonly links: Float64Array,
    private readonly linkStride: number,
    private readonly link: number,
  ) {
    let size = 16;
    while (size < capacity * 2) size <<= 1;
    this.slots = new Int32Array(size * 2).fill(-1);
    this.mask = size - 1;
  }

  private static tag(key: number): number {
    const h = Math.imul((key | 0) ^ ((key / 4294967296) | 0), 0x9e3779b1);
    return h ^ (h >>> 15);
  }

  add(key: number, i: number): void {
    const slots = this.slots;
    const tag = ChainTable.tag(key);
    let s = tag & this.mask;
    for (;;) {
      const head = slots[2 * s + 1];
      if (head < 0) {
        slots[2 * s] = tag;
        slots[2 * s + 1] = i;
        this.links[i * this.linkStride + this.link] = -1;
        return;
      }
      if (slots[2 * s] === tag && this.keys[head * this.stride + this.offset] === key) {
        this.links[i * this.linkStride + this.link] = head;
        slots[2 * s + 1] = i;
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** The first item of the key's chain, -1 when none. */
  first(key: number): number {
    const slots = this.slots;
    const tag = ChainTable.tag(key);
    let s = tag & this.mask;
    for (;;) {
      const head = slots[2 * s + 1];
      if (head < 0) return -1;
      if (slots[2 * s] === tag && this.keys[head * this.stride + this.offset] === key) return head;
      s = (s + 1) & this.mask;
    }
  }
}
