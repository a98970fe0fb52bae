import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

/** One entry's options; the defaults write a plain deflated file. Tests use the others to build hostile archives. */
export interface ZipEntryOptions {
  /** Stored (0) or deflated (8). */
  method?: 0 | 8;
  /** Unix mode in the external attributes (default a regular file 0644; `0o120777` marks a symbolic link). */
  unixMode?: number;
}

interface CentralEntry {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  method: number;
  unixMode: number;
}

const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1; // 1980-01-01: entries carry no time (exports are compared by content)

/**
 * A small streaming ZIP writer (deflate, UTF-8 names, data descriptors, no ZIP64: up to 4 GB and 65 535 entries):
 * each entry is streamed through in order, its size, CRC-32 and SHA-256 known once it is written, so the manifest can
 * be the last entry. archiver 8 is an ES module only, which the CommonJS build and jest cannot load.
 */
export class ZipWriter {
  private offset = 0;
  private readonly entries: CentralEntry[] = [];

  constructor(private readonly out: Writable) {}

  async add(
    name: string,
    source: Buffer | Readable,
    options: ZipEntryOptions = {},
  ): Promise<{ size: number; sha256: string }> {
    const method = options.method ?? 8;
    const nameBytes = Buffer.from(name, 'utf8');
    if (this.entries.length >= 0xffff || this.offset > 0xfffffff0)
      throw new Error('ZIP too large (no ZIP64)');
    const offset = this.offset;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 name
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE_1980, 12);
    local.writeUInt16LE(nameBytes.length, 26);
    await this.write(Buffer.concat([local, nameBytes]));

    let crc = 0;
    let size = 0;
    let compressedSize = 0;
    const hash = createHash('sha256');
    const chunks: AsyncIterable<Buffer> = Buffer.isBuffer(source)
      ? ([source] as unknown as AsyncIterable<Buffer>)
      : source;
    if (method === 8) {
      const deflate = createDeflateRaw({ level: 6 });
      const pump = (async () => {
        for await (const chunk of chunks) {
          crc = crc32(chunk, crc);
          size += chunk.length;
          hash.update(chunk);
          if (!deflate.write(chunk)) await once(deflate, 'drain');
        }
        deflate.end();
      })();
      pump.catch((error: unknown) => deflate.destroy(error as Error));
      for await (const packed of deflate as AsyncIterable<Buffer>) {
        compressedSize += packed.length;
        await this.write(packed);
      }
      await pump;
    } else {
      for await (const chunk of chunks) {
        crc = crc32(chunk, crc);
        size += chunk.length;
        hash.update(chunk);
        compressedSize += chunk.length;
        await this.write(chunk);
      }
    }
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc >>> 0, 4);
    descriptor.writeUInt32LE(compressedSize, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.write(descriptor);
    this.entries.push({
      name: nameBytes,
      crc: crc >>> 0,
      compressedSize,
      size,
      offset,
      method,
      unixMode: options.unixMode ?? 0o100644,
    });
    return { size, sha256: hash.digest('hex') };
  }

  /** Writes the central directory and ends the output stream. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode in the external attributes counts
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0808, 8);
      header.writeUInt16LE(e.method, 10);
      header.writeUInt16LE(0, 12);
      header.writeUInt16LE(DOS_DATE_1980, 14);
      header.writeUInt32LE(e.crc, 16);
      header.writeUInt32LE(e.compressedSize, 20);
      header.writeUInt32LE(e.size, 24);
      header.writeUInt16LE(e.name.length, 28);
      header.writeUInt32LE(((e.unixMode & 0xffff) << 16) >>> 0, 38);
      header.writeUInt32LE(e.offset, 42);
      await this.write(Buffer.concat([header, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    this.out.end();
  }

  private async write(data: Buffer): Promise<void> {
    this.offset += data.length;
    if (!this.out.write(data)) await once(this.out, 'drain');
  }
}
