import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { PortabilityError } from '../portability.errors';

/**
 * Limits on an imported archive, checked while reading (sizes counted on the unpacked bytes as they stream, never
 * taken from the headers). Exported as one object so a test can lower them for one case and put them back.
 */
export const ARCHIVE_LIMITS = {
  /** Entries in the archive (1 000 uploads × 4 stored files + the record files fit easily). */
  maxEntries: 20_000,
  /** Everything unpacked together. */
  maxTotalBytes: 4 * 1024 ** 3,
  /** Unpacked ÷ packed size of one entry, checked once an entry passed `ratioFloorBytes`. */
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  /** manifest.json and settings.json are read whole. */
  maxManifestBytes: 32 * 1024 * 1024,
};

/** One entry as the visitor sees it: a safe relative path and its unpacked bytes (must be consumed or destroyed). */
export interface ArchiveEntry {
  path: string;
  compressedSize: number;
  /** The unpacked bytes, counted against the limits; `sha256()` is ready once the stream ended. */
  stream: Readable;
  sha256(): string;
  size(): number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why a path is unsafe, or null. Only plain relative paths of ordinary segments are accepted. */
export function unsafePathReason(path: string): string | null {
  if (path.length === 0 || path.length > 400) return 'length';
  if (path.includes('\0')) return 'nul';
  if (path.includes('\\')) return 'backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute';
  const segments = path.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..')) return 'parent';
  if (segments.some((s) => s === '' || s === '.')) return 'empty segment';
  return null;
}

/**
 * Reads every entry of the ZIP at `file` in order and hands it to `visit` (which must consume the stream). Refuses,
 * with a PortabilityError and before or while reading: unsafe paths, symbolic links, duplicate names, too many
 * entries, more unpacked bytes than allowed in total or per packed byte, and anything yauzl cannot read.
 */
export async function walkArchive(
  file: string,
  visit: (entry: ArchiveEntry) => Promise<void>,
  limits = ARCHIVE_LIMITS,
): Promise<void> {
  const zip = await openZip(file);
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new PortabilityError('ARCHIVE_TOO_MANY_ENTRIES', undefined, { max: limits.maxEntries });
    const seen = new Set<string>();
    let total = 0;
    let count = 0;
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) break;
      if (++count > limits.maxEntries)
        throw new PortabilityError('ARCHIVE_TOO_MANY_ENTRIES', undefined, { max: limits.maxEntries });
      const raw = entry.fileName as unknown as Buffer | string;
      const path = typeof raw === 'string' ? raw : raw.toString('utf8');
      const reason = unsafePathReason(path);
      if (reason)
        throw new PortabilityError('ARCHIVE_UNSAFE_PATH', undefined, { entry: path.slice(0, 200), reason });
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (mode === S_IFLNK) throw new PortabilityError('ARCHIVE_SYMLINK', undefined, { entry: path });
      if (seen.has(path)) throw new PortabilityError('ARCHIVE_DUPLICATE_ENTRY', undefined, { entry: path });
      seen.add(path);
      if (path.endsWith('/')) continue; // a directory entry: nothing to read
      const source = await openEntry(zip, entry, path);
      const hash = createHash('sha256');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          total += chunk.length;
          if (total > limits.maxTotalBytes)
            return done(
              new PortabilityError('ARCHIVE_TOO_LARGE', undefined, { maxBytes: limits.maxTotalBytes }),
            );
          if (size > limits.ratioFloorBytes && size > Math.max(entry.compressedSize, 1) * limits.maxRatio)
            return done(
              new PortabilityError('ARCHIVE_RATIO', undefined, { entry: path, maxRatio: limits.maxRatio }),
            );
          hash.update(chunk);
          done(null, chunk);
        },
      });
      source.on('error', (error) => counter.destroy(asArchiveError(error, path)));
      source.pipe(counter);
      let digest: string | null = null;
      await visit({
        path,
        compressedSize: entry.compressedSize,
        stream: counter,
        sha256: () => (digest ??= hash.digest('hex')),
        size: () => size,
      });
      if (!counter.readableEnded) {
        // the visitor did not read it all (it refused the entry): stop here, the error came from the visitor
        counter.destroy();
        source.destroy();
      }
    }
  } finally {
    zip.close();
  }
}

/** Reads a whole entry into memory (small files only: manifest, settings), within `max` bytes. */
export async function readWhole(entry: ArchiveEntry, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry.stream) {
    size += (chunk as Buffer).length;
    if (size > max)
      throw new PortabilityError('ARCHIVE_TOO_LARGE', undefined, { entry: entry.path, maxBytes: max });
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/** Consumes an entry (hash and size only). */
export async function drain(entry: ArchiveEntry): Promise<void> {
  for await (const chunk of entry.stream) void chunk;
}

function asArchiveError(error: unknown, path: string): Error {
  if (error instanceof PortabilityError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PortabilityError('ARCHIVE_CORRUPT', undefined, { entry: path, reason: message.slice(0, 200) });
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
        validateEntrySizes: true,
        strictFileNames: false,
      },
      (error, zip) => {
        if (error || !zip)
          return reject(
            new PortabilityError('ARCHIVE_CORRUPT', undefined, {
              reason: (error?.message ?? 'unreadable').slice(0, 200),
            }),
          );
        resolve(zip);
      },
    );
  });
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(null));
    const onError = (error: Error) => (cleanup(), reject(asArchiveError(error, '')));
    zip.once('entry', onEntry);
    zip.once('end', onEnd);
    zip.once('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, path: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(asArchiveError(error ?? new Error('unreadable entry'), path));
      resolve(stream);
    });
  });
}
