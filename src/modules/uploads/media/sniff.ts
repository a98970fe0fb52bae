/**
 * The type of an upload, decided from its first bytes ("magic numbers") and never from the client's file name or
 * Content-Type. Anything not listed here is refused (415).
 */
export const MEDIA_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'heic', 'heif', 'avif', 'pdf'] as const;
export type MediaFormat = (typeof MEDIA_FORMATS)[number];

export interface SniffedType {
  format: MediaFormat;
  mimeType: string;
  /** Images get processed (variants, metadata stripped); documents are stored as they are. */
  kind: 'image' | 'document';
  /** Extension used for the names we give downloads (never for paths). */
  extension: string;
}

const TYPES: Record<MediaFormat, SniffedType> = {
  jpeg: { format: 'jpeg', mimeType: 'image/jpeg', kind: 'image', extension: 'jpg' },
  png: { format: 'png', mimeType: 'image/png', kind: 'image', extension: 'png' },
  webp: { format: 'webp', mimeType: 'image/webp', kind: 'image', extension: 'webp' },
  gif: { format: 'gif', mimeType: 'image/gif', kind: 'image', extension: 'gif' },
  heic: { format: 'heic', mimeType: 'image/heic', kind: 'image', extension: 'heic' },
  heif: { format: 'heif', mimeType: 'image/heif', kind: 'image', extension: 'heif' },
  avif: { format: 'avif', mimeType: 'image/avif', kind: 'image', extension: 'avif' },
  pdf: { format: 'pdf', mimeType: 'application/pdf', kind: 'document', extension: 'pdf' },
};

export const SUPPORTED_MIME_TYPES: readonly string[] = Object.values(TYPES).map((t) => t.mimeType);

export function typeOf(format: MediaFormat): SniffedType {
  return TYPES[format];
}

/** ISO BMFF brands (ISO/IEC 23008-12 and the AVIF spec). HEVC-coded HEIF is `heic`/`heix`/`heim`/`heis`/`hevc`/`hevx`. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2', 'miaf']);

const startsWith = (buf: Buffer, bytes: readonly number[], offset = 0): boolean =>
  buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);

const ascii = (buf: Buffer, start: number, end: number): string => buf.toString('latin1', start, end);

/** `ftyp` box at the start: major brand, then compatible brands. Null when it is not an ISO BMFF file. */
function heifFamily(buf: Buffer): MediaFormat | null {
  if (buf.length < 16 || ascii(buf, 4, 8) !== 'ftyp') return null;
  const size = buf.readUInt32BE(0);
  if (size < 16 || size > 4096 || size % 4 !== 0) return null;
  const end = Math.min(size, buf.length);
  const brands = [ascii(buf, 8, 12)];
  for (let p = 16; p + 4 <= end; p += 4) brands.push(ascii(buf, p, p + 4));
  const major = brands[0];
  if (AVIF_BRANDS.has(major)) return 'avif';
  if (HEIC_BRANDS.has(major)) return 'heic';
  if (!HEIF_BRANDS.has(major)) return null; // e.g. mp4, mov, 3gp: not an image
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'heic';
  return 'heif';
}

/** The accepted type of these bytes, or null (→ 415). Needs only the first few kilobytes. */
export function sniff(buf: Buffer): SniffedType | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return TYPES.jpeg;
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return TYPES.png;
  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return TYPES.webp;
  if (buf.length >= 6 && (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a')) return TYPES.gif;
  // `%PDF-1.x` at offset 0 only: readers tolerate junk before it, but accepting that would let any file that
  // contains the string somewhere near its start pass as a PDF.
  if (buf.length >= 8 && /^%PDF-\d\.\d/.test(ascii(buf, 0, 8))) return TYPES.pdf;
  const heif = heifFamily(buf);
  return heif ? TYPES[heif] : null;
}
