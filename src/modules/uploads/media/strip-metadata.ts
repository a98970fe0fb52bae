import { itemRanges, readHeifMeta, type HeifMeta } from './heif';
import type { MediaFormat } from './sniff';

/**
 * Lossless metadata removal for the stored original: the image data itself is copied byte for byte, everything
 * that can describe the person, place or device (EXIF with GPS, XMP, IPTC, comments, maker notes, embedded
 * secondary images) is dropped. Re-encoding would also remove it, but costs a full-resolution encode per upload and
 * loses quality; this is a linear scan.
 *
 * Each function throws `StripError` when the file's structure is not what it should be; the caller then falls back
 * to re-encoding (which never carries metadata) — a file we cannot parse is never stored with its metadata.
 */
export class StripError extends Error {}

const fail = (format: string, why: string): never => {
  throw new StripError(`${format}: ${why}`);
};

// ---------------------------------------------------------------------------------------------------------------
// JPEG

/** The one EXIF we write: IFD0 with only the Orientation tag, so viewers still show the photo the right way up. */
export function orientationExifSegment(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM\u0000*', 0, 'latin1'); // big-endian TIFF header
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // count
  tiff.writeUInt16BE(orientation, 18); // value (left-justified in the 4-byte field)
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([header, payload]);
}

const startsWithAscii = (buf: Buffer, start: number, text: string): boolean =>
  buf.length >= start + text.length && buf.toString('latin1', start, start + text.length) === text;

/**
 * Keeps SOI, the JFIF APP0, ICC profile (APP2 `ICC_PROFILE`), Adobe APP14 (needed to decode CMYK/YCCK), every
 * table, frame and scan up to the first EOI. Drops APP1 (EXIF, XMP), every other APPn (IPTC in APP13, MPF in APP2,
 * vendor blocks), comments and anything after EOI (MPF/"portrait" secondary images with their own EXIF).
 * Orientation (1–8) other than 1 is written back as a minimal EXIF.
 */
export function stripJpeg(buf: Buffer, orientation = 1): Buffer {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) fail('jpeg', 'no SOI');
  const out: Buffer[] = [buf.subarray(0, 2)];
  let insertExifAt = 1; // index in `out` after which the orientation EXIF goes (after a leading APP0)
  let p = 2;
  let first = true;
  while (p < buf.length) {
    if (buf[p] !== 0xff) fail('jpeg', `expected a marker at ${p}`);
    while (p < buf.length && buf[p] === 0xff) p++; // fill bytes
    if (p >= buf.length) fail('jpeg', 'truncated marker');
    const marker = buf[p];
    const start = p - 1;
    p++;
    if (marker === 0xd9) {
      out.push(Buffer.from([0xff, 0xd9]));
      if (orientation > 1 && orientation <= 8)
        out.splice(insertExifAt, 0, orientationExifSegment(orientation));
      return Buffer.concat(out);
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      out.push(Buffer.from([0xff, marker]));
      continue;
    }
    if (p + 2 > buf.length) fail('jpeg', 'truncated segment length');
    const length = buf.readUInt16BE(p);
    const end = p + length;
    if (length < 2 || end > buf.length) fail('jpeg', `segment 0x${marker.toString(16)} overruns the file`);
    const body = p + 2;
    const segment = buf.subarray(start, end);
    p = end;
    const isApp = marker >= 0xe0 && marker <= 0xef;
    if (isApp || marker === 0xfe) {
      const keep =
        (marker === 0xe0 && startsWithAscii(buf, body, 'JFIF\u0000')) ||
        (marker === 0xe2 && startsWithAscii(buf, body, 'ICC_PROFILE\u0000')) ||
        (marker === 0xee && startsWithAscii(buf, body, 'Adobe'));
      if (keep) {
        out.push(Buffer.from([0xff, marker]), buf.subarray(start + 2, end));
        if (first && marker === 0xe0) insertExifAt = out.length;
      }
      first = false;
      continue;
    }
    first = false;
    out.push(Buffer.from([0xff, marker]), segment.subarray(2));
    if (marker === 0xda) {
      // Entropy-coded data follows the scan header: it ends at the first 0xFF that is neither stuffing (FF00) nor
      // a restart marker (FFD0–FFD7).
      let q = p;
      for (;;) {
        q = buf.indexOf(0xff, q);
        if (q < 0 || q + 1 >= buf.length) fail('jpeg', 'scan data without an end');
        const next = buf[q + 1];
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
          q += next === 0xff ? 1 : 2;
          continue;
        }
        break;
      }
      out.push(buf.subarray(p, q));
      p = q;
    }
  }
  return fail('jpeg', 'no EOI');
}

// ---------------------------------------------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunks that describe pixels or colour (incl. APNG animation); text, EXIF and time chunks are dropped. */
const PNG_KEEP = new Set([
  'IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'cHRM', 'gAMA', 'iCCP', 'sBIT', 'sRGB', 'cICP', 'mDCV', 'cLLI',
  'bKGD', 'hIST', 'pHYs', 'sPLT', 'acTL', 'fcTL', 'fdAT',
]); // prettier-ignore

export function stripPng(buf: Buffer): Buffer {
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) fail('png', 'no signature');
  const out: Buffer[] = [PNG_SIGNATURE];
  let p = 8;
  while (p + 12 <= buf.length) {
    const length = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    const end = p + 12 + length;
    if (end > buf.length || !/^[A-Za-z]{4}$/.test(type)) fail('png', `bad chunk at ${p}`);
    const critical = (buf[p + 4] & 0x20) === 0;
    if (PNG_KEEP.has(type)) out.push(buf.subarray(p, end));
    else if (critical) fail('png', `unknown critical chunk ${type}`);
    p = end;
    if (type === 'IEND') return Buffer.concat(out);
  }
  return fail('png', 'no IEND');
}

// ---------------------------------------------------------------------------------------------------------------
// WebP

const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

export function stripWebp(buf: Buffer): Buffer {
  if (
    buf.length < 12 ||
    buf.toString('latin1', 0, 4) !== 'RIFF' ||
    buf.toString('latin1', 8, 12) !== 'WEBP'
  ) {
    fail('webp', 'no RIFF/WEBP header');
  }
  const riffEnd = Math.min(buf.length, 8 + buf.readUInt32LE(4));
  const chunks: Buffer[] = [];
  let p = 12;
  while (p + 8 <= riffEnd) {
    const fourcc = buf.toString('latin1', p, p + 4);
    const size = buf.readUInt32LE(p + 4);
    const end = p + 8 + size + (size % 2);
    if (p + 8 + size > riffEnd) fail('webp', `chunk ${fourcc} overruns the file`);
    if (WEBP_KEEP.has(fourcc)) {
      const chunk = Buffer.from(buf.subarray(p, Math.min(end, riffEnd)));
      if (fourcc === 'VP8X') chunk[8] &= ~(VP8X_EXIF | VP8X_XMP);
      chunks.push(chunk.length % 2 ? Buffer.concat([chunk, Buffer.alloc(1)]) : chunk);
    }
    p = end;
  }
  if (!chunks.some((c) => ['VP8 ', 'VP8L', 'ANMF'].includes(c.toString('latin1', 0, 4))))
    fail('webp', 'no image data');
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(4 + body.length, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

// ---------------------------------------------------------------------------------------------------------------
// GIF

const GIF_KEEP_APPS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

/** Skips a run of data sub-blocks starting at `p`; returns the index after the terminating zero-length block. */
function skipSubBlocks(buf: Buffer, p: number): number {
  for (;;) {
    if (p >= buf.length) fail('gif', 'truncated sub-blocks');
    const size = buf[p];
    p += 1 + size;
    if (size === 0) return p;
  }
}

/** Keeps images, graphic control and plain-text extensions and the looping extension; drops comments and XMP. */
export function stripGif(buf: Buffer): Buffer {
  if (buf.length < 13 || !/^GIF8[79]a$/.test(buf.toString('latin1', 0, 6))) fail('gif', 'no header');
  const packed = buf[10];
  let p = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  if (p > buf.length) fail('gif', 'truncated colour table');
  const out: Buffer[] = [buf.subarray(0, p)];
  while (p < buf.length) {
    const introducer = buf[p];
    if (introducer === 0x3b) {
      out.push(Buffer.from([0x3b]));
      return Buffer.concat(out);
    }
    if (introducer === 0x2c) {
      if (p + 10 > buf.length) fail('gif', 'truncated image descriptor');
      const local = buf[p + 9];
      let q = p + 10 + (local & 0x80 ? 3 * 2 ** ((local & 0x07) + 1) : 0);
      q = skipSubBlocks(buf, q + 1); // LZW minimum code size, then the image data
      out.push(buf.subarray(p, q));
      p = q;
      continue;
    }
    if (introducer === 0x21) {
      if (p + 2 > buf.length) fail('gif', 'truncated extension');
      const label = buf[p + 1];
      const q = skipSubBlocks(buf, p + 2);
      const appId = label === 0xff && buf[p + 2] === 11 ? buf.toString('latin1', p + 3, p + 14) : '';
      const keep = label === 0xf9 || label === 0x01 || (label === 0xff && GIF_KEEP_APPS.has(appId));
      if (keep) out.push(buf.subarray(p, q));
      p = q;
      continue;
    }
    fail('gif', `unknown block 0x${introducer.toString(16)} at ${p}`);
  }
  return fail('gif', 'no trailer');
}

// ---------------------------------------------------------------------------------------------------------------
// HEIF / HEIC / AVIF (ISO BMFF)

/**
 * HEIF keeps EXIF and XMP as items: the payload is zeroed in place and the item's type renamed to `zzzz` (an
 * unknown item type, which readers ignore), so no offsets move and the coded image stays untouched. Orientation in
 * HEIF is a box property (`irot`/`imir`), not EXIF, so nothing is lost for display.
 */
export function stripHeif(buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  let meta: HeifMeta;
  try {
    meta = readHeifMeta(out);
  } catch (error) {
    return fail('heif', error instanceof Error ? error.message : String(error));
  }
  const targets = meta.items.filter(
    (item) =>
      item.type === 'Exif' ||
      (item.type === 'mime' && /^application\/rdf\+xml/i.test(item.contentType ?? '')),
  );
  if (!targets.length) return out;
  let ranges: Array<[number, number]>;
  try {
    ranges = itemRanges(out, meta, new Set(targets.map((t) => t.id)));
  } catch (error) {
    return fail('heif', error instanceof Error ? error.message : String(error));
  }
  for (const [start, end] of ranges) out.fill(0, start, end);
  for (const item of targets) out.write('zzzz', item.typeAt, 'latin1');
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/** Dispatch by sniffed format. `orientation` matters only for JPEG (kept as a one-tag EXIF). */
export function stripMetadata(format: MediaFormat, buf: Buffer, orientation = 1): Buffer {
  switch (format) {
    case 'jpeg':
      return stripJpeg(buf, orientation);
    case 'png':
      return stripPng(buf);
    case 'webp':
      return stripWebp(buf);
    case 'gif':
      return stripGif(buf);
    case 'heic':
    case 'heif':
    case 'avif':
      return stripHeif(buf);
    case 'pdf':
      return fail('pdf', 'documents are stored as uploaded');
  }
}
