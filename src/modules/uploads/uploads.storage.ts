import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { isGlobalId } from '../../infrastructure/mongo/global-id';

/** `incoming` is the upload as received (images only, never served); the rest are what GET …/content serves. */
export type StoredFile = 'incoming' | 'original' | 'compressed' | 'thumbnail';

const FILE_SUFFIX: Record<StoredFile, string> = {
  incoming: 'incoming',
  original: 'original',
  compressed: 'compressed.webp',
  thumbnail: 'thumbnail.webp',
};

/** Where an upload lives: `folder` (the owning record's id, or its own) and its id. */
export interface StorageKey {
  folder: string;
  _id: string;
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/**
 * Files on local disk under `UPLOADS_DIR/{folder}/{uploadId}.{file}` — every path segment is a validated global
 * id or one of four fixed names, never anything a client sent. Writes go to a temporary name in the same folder,
 * are flushed, then renamed: a reader (or a crash) never sees a half-written file.
 *
 * Never mounted as static files: the only way out is GET /uploads/:id/content, which checks the organization.
 */
@Injectable()
export class UploadStorage {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.root = resolve(config.uploadsDir);
  }

  folderPath(folder: string): string {
    if (!isGlobalId(this.config.globalIdPrefix, folder))
      throw new Error(`Not an upload folder id: ${String(folder)}`);
    return join(this.root, folder);
  }

  pathOf(key: StorageKey, file: StoredFile): string {
    if (!isGlobalId(this.config.globalIdPrefix, key._id))
      throw new Error(`Not an upload id: ${String(key._id)}`);
    return join(this.folderPath(key.folder), `${key._id}.${FILE_SUFFIX[file]}`);
  }

  async write(key: StorageKey, file: StoredFile, data: Buffer): Promise<void> {
    const target = this.pathOf(key, file);
    // A second try covers the folder being removed (purge of its last file) between mkdir and open.
    for (let attempt = 1; ; attempt++) {
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        const handle = await open(temp, 'wx', 0o640);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target);
        return;
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        if (errorCode(error) !== 'ENOENT' || attempt >= 2) throw error;
      }
    }
  }

  /**
   * The whole file in one read: fs.readFile reads in 512 KB steps, each a trip through the thread pool and the event
   * loop, which for a 20 MB photo on a busy process adds up to a visible delay.
   */
  async read(key: StorageKey, file: StoredFile): Promise<Buffer> {
    const handle = await open(this.pathOf(key, file), 'r');
    try {
      const { size } = await handle.stat();
      const data = Buffer.allocUnsafe(size);
      let offset = 0;
      while (offset < size) {
        const { bytesRead } = await handle.read(data, offset, size - offset, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return offset === size ? data : data.subarray(0, offset);
    } finally {
      await handle.close();
    }
  }

  /** Size in bytes, or null when the file is not there. */
  async sizeOf(key: StorageKey, file: StoredFile): Promise<number | null> {
    try {
      return (await stat(this.pathOf(key, file))).size;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw error;
    }
  }

  stream(key: StorageKey, file: StoredFile): ReadStream {
    return createReadStream(this.pathOf(key, file));
  }

  async remove(key: StorageKey, file: StoredFile): Promise<void> {
    await rm(this.pathOf(key, file), { force: true });
  }

  /**
   * Every file of the upload (variants, the incoming file, leftovers of interrupted writes), then the folder if
   * that left it empty. Idempotent.
   */
  async removeAll(key: StorageKey): Promise<void> {
    const folder = this.folderPath(key.folder);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      throw error;
    }
    const prefix = `${key._id}.`;
    await Promise.all(
      names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(folder, n), { force: true })),
    );
    await rmdir(folder).catch((error: unknown) => {
      if (!['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(errorCode(error) ?? '')) throw error;
    });
  }

  /** Names of the files in a folder (tests and diagnostics). */
  async list(folder: string): Promise<string[]> {
    try {
      return (await readdir(this.folderPath(folder))).sort();
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
  }
}
