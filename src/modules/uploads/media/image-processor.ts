import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { HeifError, heifCodec } from './heif';
import type { MediaFormat } from './sniff';
import { StripError, stripMetadata } from './strip-metadata';

/** Longest side of the compressed variant and of the thumbnail. */
export const COMPRESSED_MAX_PX = 2048;
export const THUMBNAIL_MAX_PX = 320;
const COMPRESSED_QUALITY = 80;
const THUMBNAIL_QUALITY = 70;

// A server converting unique images gains nothing from libvips' operation cache, only memory use.
sharp.cache(false);

/*
 * The pixel limit (UPLOAD_MAX_PIXELS, default 50 MP) is checked from the header, by the API before anything is
 * stored and by the worker before it decodes. 50 MP lets through what people photograph and scan — a 48 MP phone
 * photo (8064 × 6048 = 48.8 MP; 40 MP would refuse it) and an A4 page at 600 dpi (35 MP) — and bounds one decoded
 * image at 150 MB (RGB) / 200 MB (RGBA), half of the old 100 MP default; JPEG, the common case, decodes shrunk on
 * load for the variants and costs far less. Animated GIF/WebP count every frame, so an animation cannot multiply it.
 */

/**
 * Most frames an animated GIF/WebP may have. Its variants show only the first frame, but an original that must be
 * re-encoded (EXIF orientation, or metadata that cannot be stripped losslessly) decodes every frame; their pixels
 * count against the pixel limit together, and this bounds the per-frame work of a file of tiny frames.
 */
export const MAX_FRAMES = 300;

/** A failure that will fail again on retry (the bytes are the problem): the job ends as `failed` at once. */
export class ImageProcessingError extends Error {
  constructor(
    readonly code:
      | 'IMAGE_UNREADABLE'
      | 'IMAGE_TOO_MANY_PIXELS'
      | 'IMAGE_TOO_MANY_FRAMES'
      | 'IMAGE_DECODE_FAILED'
      | 'METADATA_NOT_REMOVABLE',
    message: string,
  ) {
    super(message);
  }
}

export interface ImageInfo {
  /** As displayed, i.e. after EXIF rotation. */
  width: number;
  height: number;
  pages: number;
  orientation: number;
}

export interface RenderedImage {
  data: Buffer;
  mimeType: string;
  width: number;
  height: number;
}

export interface ProcessedImage {
  /** The original with its metadata removed (lossless where the format allows, see strip-metadata.ts). */
  original: { data: Buffer; mimeType: string; reencoded: boolean };
  compressed: RenderedImage | null;
  thumbnail: RenderedImage | null;
  width: number;
  height: number;
  /** Why something is missing, e.g. `HEIC_NOT_CONVERTED`. */
  note: string | null;
}

const MIME: Record<Exclude<MediaFormat, 'pdf'>, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  avif: 'image/avif',
};

/** EXIF orientations 5–8 swap width and height on display. */
const swapsSides = (orientation: number | undefined): boolean => (orientation ?? 1) >= 5;

function infoOf(meta: Metadata): ImageInfo {
  const { width, height } = meta;
  if (!width || !height) throw new ImageProcessingError('IMAGE_UNREADABLE', 'The image has no dimensions');
  const pages = meta.pages ?? 1;
  const pageHeight = pages > 1 && meta.pageHeight ? meta.pageHeight : height;
  const swap = swapsSides(meta.orientation);
  return {
    width: swap ? pageHeight : width,
    height: swap ? width : pageHeight,
    pages,
    orientation: meta.orientation ?? 1,
  };
}

/** GIF and WebP are the animated formats whose frames are all decoded (for an original that must be re-encoded). */
const isAnimatable = (format: string | undefined): boolean => format === 'gif' || format === 'webp';

/**
 * Header-only look at an image (no pixel decoding; runs on libuv's thread pool): dimensions for the upload response
 * and for refusing decompression bombs before anything is queued — the API runs it on the request, the worker
 * again before it decodes (a PNG declaring 30 000 × 30 000 is refused from its IHDR, whatever its IDAT holds).
 * An animation counts the pixels of all its frames (width × frame height × frames), and has at most MAX_FRAMES.
 */
export async function inspectImage(buf: Buffer, maxPixels: number): Promise<ImageInfo> {
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageProcessingError('IMAGE_UNREADABLE', 'The image header cannot be read');
  }
  const info = infoOf(meta);
  const frames = isAnimatable(meta.format) ? info.pages : 1;
  if (frames > MAX_FRAMES) {
    throw new ImageProcessingError(
      'IMAGE_TOO_MANY_FRAMES',
      `The animation has ${frames} frames; at most ${MAX_FRAMES} are accepted`,
    );
  }
  const pixels = info.width * info.height * frames;
  if (pixels > maxPixels) {
    throw new ImageProcessingError(
      'IMAGE_TOO_MANY_PIXELS',
      `The image has ${pixels} pixels${frames > 1 ? ` in ${frames} frames` : ''}; at most ${maxPixels} are accepted`,
    );
  }
  return info;
}

/**
 * HEVC-coded HEIF (iPhone photos): libheif reads the header, but the prebuilt libvips has no HEVC decoder
 * (patents). Decided from the item types, not the brand.
 */
export function isUndecodableHeic(format: MediaFormat, buf: Buffer): boolean {
  if (format !== 'heic' && format !== 'heif' && format !== 'avif') return false;
  try {
    return heifCodec(buf) === 'hevc';
  } catch (error) {
    if (error instanceof HeifError)
      throw new ImageProcessingError('IMAGE_UNREADABLE', 'The HEIF container cannot be read');
    throw error;
  }
}

/**
 * Decoded once, rotated and shrunk to the compressed size; both variants are encoded from these pixels. Only the
 * first frame (page) of an animation or a multi-image HEIF is decoded.
 */
async function decodeForVariants(buf: Buffer, maxPixels: number) {
  return sharp(buf, { limitInputPixels: maxPixels, failOn: 'error', pages: 1 })
    .rotate()
    .resize({ width: COMPRESSED_MAX_PX, height: COMPRESSED_MAX_PX, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
}

async function encodeWebp(
  pixels: { data: Buffer; info: OutputInfo },
  maxPx: number,
  quality: number,
): Promise<RenderedImage> {
  const { width, height, channels } = pixels.info;
  let image = sharp(pixels.data, { raw: { width, height, channels } });
  if (width > maxPx || height > maxPx) image = image.resize({ width: maxPx, height: maxPx, fit: 'inside' });
  const out = await image.webp({ quality }).toBuffer({ resolveWithObject: true });
  return { data: out.data, mimeType: 'image/webp', width: out.info.width, height: out.info.height };
}

/**
 * The original without metadata: the lossless strip when it is possible and proven clean, else a re-encode in the
 * same format (sharp writes no metadata unless asked). PNG/WebP/GIF carry orientation only in EXIF, so when they
 * have one the original is re-encoded upright instead (PNG stays lossless).
 */
async function cleanOriginal(
  buf: Buffer,
  format: Exclude<MediaFormat, 'pdf'>,
  info: ImageInfo,
  maxPixels: number,
  decodable: boolean,
): Promise<{ data: Buffer; mimeType: string; reencoded: boolean }> {
  const mimeType = MIME[format];
  if (
    format === 'jpeg' ||
    format === 'heic' ||
    format === 'heif' ||
    format === 'avif' ||
    info.orientation === 1
  ) {
    try {
      const data = stripMetadata(format, buf, info.orientation);
      if (await isClean(data, format, info.orientation)) return { data, mimeType, reencoded: false };
    } catch (error) {
      if (!(error instanceof StripError)) throw error;
    }
  }
  if (!decodable) {
    throw new ImageProcessingError(
      'METADATA_NOT_REMOVABLE',
      'The metadata of this file cannot be removed safely',
    );
  }
  const image = sharp(buf, {
    limitInputPixels: maxPixels,
    failOn: 'error',
    animated: format === 'gif' || format === 'webp',
  }).rotate();
  switch (format) {
    case 'jpeg':
      return { data: await image.jpeg({ quality: 92 }).toBuffer(), mimeType, reencoded: true };
    case 'png':
      return { data: await image.png().toBuffer(), mimeType, reencoded: true };
    case 'webp':
      return { data: await image.webp({ quality: 90 }).toBuffer(), mimeType, reencoded: true };
    case 'gif':
      return { data: await image.gif().toBuffer(), mimeType, reencoded: true };
    case 'heic':
    case 'heif':
    case 'avif':
      return { data: await image.avif({ quality: 70 }).toBuffer(), mimeType: 'image/avif', reencoded: true };
  }
}

/** Proof, from libvips' own reading, that a stripped file carries no EXIF (beyond our orientation), XMP or IPTC. */
async function isClean(data: Buffer, format: MediaFormat, orientation: number): Promise<boolean> {
  const meta = await sharp(data, { limitInputPixels: false }).metadata();
  if (meta.xmp || meta.iptc || meta.tifftagPhotoshop) return false;
  if (!meta.exif) return true;
  // JPEG: only the one-tag EXIF we wrote (Exif\0\0 + 26-byte TIFF) is allowed.
  return format === 'jpeg' && orientation > 1 && meta.exif.length <= 40;
}

/** Decoded pixels ready for the variants (null for HEVC HEIC), and the finished metadata-free original. */
export interface PreparedImage {
  original: ProcessedImage['original'];
  pixels: { data: Buffer; info: OutputInfo } | null;
  width: number;
  height: number;
  note: string | null;
}

const decodeFailure = (error: unknown): never => {
  if (error instanceof ImageProcessingError) throw error;
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  throw new ImageProcessingError(
    'IMAGE_DECODE_FAILED',
    `The image could not be decoded (${detail.slice(0, 160)})`,
  );
};

/**
 * First half of the conversion: read the header, decode once (rotated by EXIF, shrunk to at most 2048 px) and make
 * the metadata-free original. The caller can store the original while `renderVariants` encodes the rest.
 * HEVC-coded HEIC cannot be decoded here: it keeps only its (metadata-free) original, with note `HEIC_NOT_CONVERTED`.
 */
export async function prepareImage(
  buf: Buffer,
  format: Exclude<MediaFormat, 'pdf'>,
  maxPixels: number,
): Promise<PreparedImage> {
  const info = await inspectImage(buf, maxPixels);
  if (isUndecodableHeic(format, buf)) {
    const original = await cleanOriginal(buf, format, info, maxPixels, false);
    return { original, pixels: null, width: info.width, height: info.height, note: 'HEIC_NOT_CONVERTED' };
  }
  try {
    const [pixels, original] = await Promise.all([
      decodeForVariants(buf, maxPixels),
      cleanOriginal(buf, format, info, maxPixels, true),
    ]);
    return { original, pixels, width: info.width, height: info.height, note: null };
  } catch (error) {
    return decodeFailure(error);
  }
}

/** Second half: a WebP of at most 2048 px and a thumbnail of at most 320 px (longest side) from the pixels. */
export async function renderVariants(
  pixels: NonNullable<PreparedImage['pixels']>,
): Promise<{ compressed: RenderedImage; thumbnail: RenderedImage }> {
  try {
    const [compressed, thumbnail] = await Promise.all([
      encodeWebp(pixels, COMPRESSED_MAX_PX, COMPRESSED_QUALITY),
      encodeWebp(pixels, THUMBNAIL_MAX_PX, THUMBNAIL_QUALITY),
    ]);
    return { compressed, thumbnail };
  } catch (error) {
    return decodeFailure(error);
  }
}

/**
 * The whole conversion of one image: rotate by EXIF, strip metadata, a WebP of at most 2048 px and a thumbnail of at
 * most 320 px (longest side). Animated GIF/WebP variants show the first frame. HEVC-coded HEIC keeps only its
 * original, with note `HEIC_NOT_CONVERTED`.
 */
export async function processImage(
  buf: Buffer,
  format: Exclude<MediaFormat, 'pdf'>,
  maxPixels: number,
): Promise<ProcessedImage> {
  const { pixels, ...prepared } = await prepareImage(buf, format, maxPixels);
  const variants = pixels ? await renderVariants(pixels) : { compressed: null, thumbnail: null };
  return { ...prepared, ...variants };
}
