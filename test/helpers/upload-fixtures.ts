import exifReader from 'exif-reader';
import sharp from 'sharp';

/**
 * Test files made on the spot: images by sharp (with EXIF carrying GPS and an orientation where the format allows),
 * a minimal PDF written by hand, an HEVC-coded HEIC container built box by box (sharp cannot encode HEVC), and
 * files that must be refused.
 */

/** 57°42′N 11°58′E: Gothenburg. */
export const GPS_EXIF = {
  IFD0: { Make: 'WestWallet Test Camera', Model: 'Fixture 1' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '57/1 42/1 0/1',
    GPSLongitudeRef: 'E',
    GPSLongitude: '11/1 58/1 0/1',
  },
};

export const XMP_PACKET =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' +
  'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" ' +
  'exif:GPSLatitude="57,42.0N" exif:GPSLongitude="11,58.0E"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

function solid(width: number, height: number, colour = { r: 200, g: 40, b: 40 }) {
  return sharp({ create: { width, height, channels: 3, background: colour } });
}

/** A JPEG with GPS EXIF and the given EXIF orientation (6 = shown rotated 90° clockwise). */
export function jpegWithGps(width = 400, height = 300, orientation = 1): Promise<Buffer> {
  return solid(width, height)
    .withExif(GPS_EXIF)
    .withMetadata({ orientation })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export function pngWithGps(width = 64, height = 48): Promise<Buffer> {
  return solid(width, height).withExif(GPS_EXIF).png().toBuffer();
}

export function webpWithGps(width = 64, height = 48): Promise<Buffer> {
  return solid(width, height).withExif(GPS_EXIF).webp().toBuffer();
}

export function gif(width = 64, height = 48): Promise<Buffer> {
  return solid(width, height).gif().toBuffer();
}

export function avifWithGps(width = 64, height = 48): Promise<Buffer> {
  return solid(width, height).withExif(GPS_EXIF).avif({ quality: 50 }).toBuffer();
}

/** AV1-coded HEIF under the generic `mif1` brand (what a "HEIF" that is not HEIC looks like). */
export async function heifAv1WithGps(width = 64, height = 48): Promise<Buffer> {
  const avif = Buffer.from(await avifWithGps(width, height));
  const ftypSize = avif.readUInt32BE(0);
  for (let p = 8; p + 4 <= ftypSize; p += 4) {
    const brand = avif.toString('latin1', p, p + 4);
    if (brand === 'avif') avif.write(p === 8 ? 'mif1' : 'miaf', p, 'latin1');
  }
  return avif;
}

// ---- ISO BMFF writer for the HEIC fixture ----

const u8 = (n: number) => Buffer.from([n]);
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
};
const fullBox = (type: string, version: number, ...parts: Buffer[]) =>
  box(type, u8(version), Buffer.from([0, 0, 0]), ...parts);

/** HEVCDecoderConfigurationRecord with no parameter-set arrays: enough for libheif to read the header. */
const HVCC = box('hvcC', Buffer.from([1, 1]), u32(0x60000000), Buffer.from([0x90, 0, 0, 0, 0, 0]), u8(90), u16(0xf000), u8(0xfc), u8(0xfd), u8(0xf8), u8(0xf8), u16(0), u8(0x0f), u8(0)); // prettier-ignore

/**
 * An HEVC-coded HEIC (`ftyp heic`, one `hvc1` item) with an EXIF item carrying GPS and an XMP item. The coded
 * bitstream is a stub: libheif reads the header (size, codec, EXIF) but nothing here can decode HEVC — just as
 * with a real iPhone photo on a server whose libvips has no HEVC decoder.
 */
export async function heicWithGps(width = 64, height = 48): Promise<Buffer> {
  const exif = (await sharp(await jpegWithGps(8, 8)).metadata()).exif;
  if (!exif) throw new Error('no EXIF in the JPEG fixture');
  const exifPayload = Buffer.concat([u32(0), exif.subarray(6)]); // offset to the TIFF header, then TIFF
  const xmpPayload = Buffer.from(XMP_PACKET, 'utf8');
  const coded = Buffer.from([0, 0, 0, 4, 0x26, 0x01, 0xaf, 0x1c]);
  const build = (codedAt: number) => {
    const ftyp = box('ftyp', Buffer.from('heic'), u32(0), Buffer.from('mif1heicmiaf'));
    const hdlr = fullBox('hdlr', 0, u32(0), Buffer.from('pict'), u32(0), u32(0), u32(0), u8(0));
    const pitm = fullBox('pitm', 0, u16(1));
    const extent = (id: number, offset: number, length: number) =>
      Buffer.concat([u16(id), u16(0), u16(1), u32(offset), u32(length)]);
    const iloc = fullBox(
      'iloc',
      0,
      u8(0x44),
      u8(0x00),
      u16(3),
      extent(1, codedAt, coded.length),
      extent(2, codedAt + coded.length, exifPayload.length),
      extent(3, codedAt + coded.length + exifPayload.length, xmpPayload.length),
    );
    const infe = (id: number, type: string, extra = Buffer.alloc(0)) =>
      fullBox('infe', 2, u16(id), u16(0), Buffer.from(type), u8(0), extra);
    const iinf = fullBox(
      'iinf',
      0,
      u16(3),
      infe(1, 'hvc1'),
      infe(2, 'Exif'),
      infe(3, 'mime', Buffer.from('application/rdf+xml\u0000', 'latin1')),
    );
    const ispe = fullBox('ispe', 0, u32(width), u32(height));
    const iprp = box(
      'iprp',
      box('ipco', HVCC, ispe),
      fullBox('ipma', 0, u32(1), u16(1), u8(2), u8(0x81), u8(0x02)),
    );
    const iref = fullBox('iref', 0, box('cdsc', u16(2), u16(1), u16(1)), box('cdsc', u16(3), u16(1), u16(1)));
    return Buffer.concat([ftyp, fullBox('meta', 0, hdlr, pitm, iloc, iinf, iprp, iref)]);
  };
  const head = build(0);
  const codedAt = head.length + 8;
  return Buffer.concat([build(codedAt), box('mdat', coded, exifPayload, xmpPayload)]);
}

/** The smallest well-formed PDF: one empty page, with a correct xref table. */
export function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** The start of a 64-bit Linux executable (ELF header), padded. */
export function elfExecutable(): Buffer {
  const b = Buffer.alloc(512);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(b);
  b.writeUInt16LE(2, 16); // e_type: executable
  b.writeUInt16LE(0x3e, 18); // e_machine: x86-64
  return b;
}

/** A JPEG cut off right after its scan header: the header reads fine, decoding fails (a broken upload). */
export async function truncatedJpeg(): Promise<Buffer> {
  const jpg = await solid(64, 48).jpeg().toBuffer();
  const sos = jpg.indexOf(Buffer.from([0xff, 0xda]));
  return jpg.subarray(0, sos + 2 + jpg.readUInt16BE(sos + 2));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32(data.length), typed, u32(crc32(typed))]);
}

/** A tiny PNG whose header claims width × height pixels (a decompression bomb's calling card). */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.concat([u32(width), u32(height), Buffer.from([8, 2, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** GPS as read by exif-reader from whatever EXIF libvips finds in the file; null when there is none. */
export async function gpsOf(file: Buffer): Promise<Record<string, unknown> | null> {
  const { exif } = await sharp(file).metadata();
  if (!exif) return null;
  try {
    return (exifReader(exif).GPSInfo as Record<string, unknown> | undefined) ?? null;
  } catch {
    return null; // unreadable EXIF carries no readable position either
  }
}

/** Raw EXIF/XMP presence as libvips reports it (for "no metadata at all" assertions). */
export async function metadataOf(file: Buffer) {
  const meta = await sharp(file).metadata();
  return {
    exif: meta.exif ?? null,
    xmp: meta.xmp ?? null,
    iptc: meta.iptc ?? null,
    orientation: meta.orientation ?? null,
  };
}
