import { createHash } from 'node:crypto';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';

/** One entry's options; the defaults write a plain deflated file. Tests use the others to build hostile archives. */
export interface ZipEntryOptions {
  /** Stored (0) or deflated (8). */
  method?: 0 | 8;
  /** Unix mode in the external attributes (default a regular file 0644; `0o120777` marks a symbolic link). */
  unixMode?: number;
}

/** Entries carry no time of their own (exports are compared by content). */
const MTIME = new Date(1980, 0, 1);

/**
 * A streaming ZIP (yazl: deflate, UTF-8 names, ZIP64 when needed) whose entries are written in order, each one's size
 * and SHA-256 known once it is written, so the manifest can be the last entry. (The stack's archiver is an ES module
 * only since version 8, which the CommonJS build and jest cannot load; yazl is the writer beside our reader, yauzl.)
 */
export class ZipWriter {
  private readonly zip = new ZipFile();
  private readonly written: Promise<void>;

  constructor(out: Writable) {
    this.written = pipeline(this.zip.outputStream, out);
    this.written.catch(() => undefined); // awaited in finish(); an early failure must not go unhandled
  }

  async add(
    name: string,
    source: Buffer | Readable,
    options: ZipEntryOptions = {},
  ): Promise<{ size: number; sha256: string }> {
    const entry = { mtime: MTIME, mode: options.unixMode ?? 0o100644, compress: options.method !== 0 };
    const hash = createHash('sha256');
    if (Buffer.isBuffer(source)) {
      this.zip.addBuffer(source, name, entry);
      return { size: source.length, sha256: hash.update(source).digest('hex') };
    }
    let size = 0;
    const tap = new PassThrough();
    tap.on('data', (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
    });
    tap.pause(); // yazl reads it when the entries before it are written
    this.zip.addReadStream(tap, name, entry);
    await Promise.all([pipeline(source, tap), finished(tap)]);
    return { size, sha256: hash.digest('hex') };
  }

  /** Writes the central directory and waits until the output stream has everything. */
  async finish(): Promise<void> {
    this.zip.end();
    await this.written;
  }
}
