/**
 * Just enough ISO BMFF (ISO/IEC 14496-12) and HEIF (ISO/IEC 23008-12) reading for two questions about an
 * HEIC/HEIF/AVIF file: which codec are its images in, and where are its EXIF and XMP items. Malformed input throws
 * `HeifError`.
 */
export class HeifError extends Error {}

const fail = (why: string): never => {
  throw new HeifError(`heif: ${why}`);
};

export interface Box {
  type: string;
  start: number;
  /** First byte after size and type (for a full box: its version byte). */
  body: number;
  end: number;
}

export function readBoxes(buf: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let p = start;
  while (p + 8 <= end) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      if (p + 16 > end) fail('truncated large box');
      size = Number(buf.readBigUInt64BE(p + 8));
      header = 16;
    } else if (size === 0) {
      size = end - p;
    }
    if (size < header || p + size > end) fail(`box ${type} overruns its parent`);
    boxes.push({ type, start: p, body: p + header, end: p + size });
    p += size;
  }
  return boxes;
}

export interface HeifItem {
  id: number;
  /** Four-character item type: `hvc1`, `av01`, `grid`, `Exif`, `mime`… */
  type: string;
  /** Offset of the item type in the file (to rename it in place). */
  typeAt: number;
  /** For `mime` items, e.g. `application/rdf+xml` (XMP). */
  contentType: string | null;
}

export interface HeifMeta {
  items: HeifItem[];
  iloc: Box;
  idat: Box | undefined;
}

function readCString(buf: Buffer, p: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, p);
  const stop = zero < 0 || zero >= end ? end : zero;
  return { value: buf.toString('utf8', p, stop), next: Math.min(stop + 1, end) };
}

/** The `meta` box's item list (`iinf`, infe version ≥ 2) and its `iloc`/`idat` boxes. */
export function readHeifMeta(buf: Buffer): HeifMeta {
  const meta = readBoxes(buf, 0, buf.length).find((b) => b.type === 'meta');
  if (!meta) return fail('no meta box');
  const children = readBoxes(buf, meta.body + 4, meta.end);
  const iinf = children.find((b) => b.type === 'iinf');
  const iloc = children.find((b) => b.type === 'iloc');
  if (!iinf || !iloc) return fail('no iinf/iloc');
  const version = buf[iinf.body];
  const items: HeifItem[] = [];
  for (const infe of readBoxes(buf, iinf.body + 4 + (version === 0 ? 2 : 4), iinf.end)) {
    if (infe.type !== 'infe') continue;
    const v = buf[infe.body];
    if (v < 2) continue; // v0/v1 entries have no item type
    let p = infe.body + 4;
    const id = v === 2 ? buf.readUInt16BE(p) : buf.readUInt32BE(p);
    p += (v === 2 ? 2 : 4) + 2; // item_ID, item_protection_index
    const typeAt = p;
    const type = buf.toString('latin1', p, p + 4);
    const name = readCString(buf, p + 4, infe.end);
    const contentType = type === 'mime' ? readCString(buf, name.next, infe.end).value : null;
    items.push({ id, type, typeAt, contentType });
  }
  return { items, iloc, idat: children.find((b) => b.type === 'idat') };
}

/**
 * The codec of the images, from the item types — not from the brands, which libvips goes by (it calls every
 * non-`avif` brand HEVC, AV1 under `mif1` included).
 */
export function heifCodec(buf: Buffer): 'hevc' | 'av1' | 'other' {
  const types = new Set(readHeifMeta(buf).items.map((i) => i.type));
  if (types.has('hvc1') || types.has('hev1')) return 'hevc';
  if (types.has('av01')) return 'av1';
  return 'other';
}

function readUInt(buf: Buffer, p: number, size: number): number {
  switch (size) {
    case 0:
      return 0;
    case 4:
      return buf.readUInt32BE(p);
    case 8:
      return Number(buf.readBigUInt64BE(p));
    default:
      return fail(`unsupported field size ${size}`);
  }
}

/** Absolute byte ranges of the given items, from `iloc` (construction method 0 = file offset, 1 = in `idat`). */
export function itemRanges(buf: Buffer, meta: HeifMeta, ids: Set<number>): Array<[number, number]> {
  const { iloc, idat } = meta;
  const version = buf[iloc.body];
  let p = iloc.body + 4;
  const offsetSize = buf[p] >> 4;
  const lengthSize = buf[p] & 0x0f;
  const baseOffsetSize = buf[p + 1] >> 4;
  const indexSize = version === 1 || version === 2 ? buf[p + 1] & 0x0f : 0;
  p += 2;
  const count = version < 2 ? buf.readUInt16BE(p) : buf.readUInt32BE(p);
  p += version < 2 ? 2 : 4;
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? buf.readUInt16BE(p) : buf.readUInt32BE(p);
    p += version < 2 ? 2 : 4;
    let method = 0;
    if (version === 1 || version === 2) {
      method = buf.readUInt16BE(p) & 0x0f;
      p += 2;
    }
    p += 2; // data_reference_index
    const base = readUInt(buf, p, baseOffsetSize);
    p += baseOffsetSize;
    const extents = buf.readUInt16BE(p);
    p += 2;
    for (let e = 0; e < extents; e++) {
      p += indexSize;
      const offset = readUInt(buf, p, offsetSize);
      p += offsetSize;
      const length = readUInt(buf, p, lengthSize);
      p += lengthSize;
      if (!ids.has(id)) continue;
      if (method === 2) fail('item stored by reference to another item');
      if (method === 1 && !idat) fail('idat missing');
      const start = (method === 1 && idat ? idat.body : 0) + base + offset;
      if (length === 0 || start + length > buf.length) fail('extent out of range');
      ranges.push([start, start + length]);
    }
    if (p > iloc.end) fail('iloc overruns its box');
  }
  return ranges;
}
