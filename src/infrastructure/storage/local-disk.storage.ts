import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  FileStorage,
  ObjectInfo,
  PutOptions,
  PutResult,
  StorageProbe,
  StoredObject,
} from './file-storage';
import { HashingStream, sha256Of } from './hashing';
import { StorageIntegrityError, StorageNotFoundError, StorageUnavailableError } from './storage-errors';
import { assertKey, assertPrefix, isStorageKey, TEMP_FILE } from './storage-keys';

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | null)?.code;

/** Errors that mean "the disk cannot take or give files right now" rather than "this file is missing". */
const UNAVAILABLE_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EROFS',
  'EACCES',
  'EPERM',
  'EMFILE',
  'ENFILE',
]);

/**
 * Files under one folder of this machine's disk (UPLOADS_DIR): the key is the path below it. Writes go to a
 * temporary name in the same folder, are flushed, then renamed: a reader (or a crash) never sees a half-written
 * file. Folders left empty by a delete are removed. Never served as static files.
 */
export class LocalDiskStorage implements FileStorage {
  readonly driver = 'local' as const;
  readonly root: string;
  readonly location: string;

  constructor(dir: string) {
    this.root = resolve(dir);
    this.location = `local disk ${this.root}`;
  }

  pathOf(key: string): string {
    return join(this.root, ...assertKey(key).split('/'));
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<PutResult> {
    const target = this.pathOf(key);
    const isBuffer = Buffer.isBuffer(body);
    const digest = isBuffer ? sha256Of(body) : null;
    if (digest && options.sha256 && digest !== options.sha256)
      throw new StorageIntegrityError(key, options.sha256, digest);
    // A second try covers the folder being removed (delete of its last file) between mkdir and open — only for
    // a Buffer: a stream cannot be read twice.
    for (let attempt = 1; ; attempt++) {
      const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await mkdir(dirname(target), { recursive: true });
        let result: PutResult;
        if (isBuffer) {
          const handle = await open(temp, 'wx', 0o640);
          try {
            await handle.writeFile(body);
            await handle.sync();
          } finally {
            await handle.close();
          }
          result = { size: body.length, sha256: digest! };
        } else {
          const hashing = new HashingStream();
          const out = createWriteStream(temp, { flags: 'wx', mode: 0o640, flush: true });
          await pipeline(body, hashing, out);
          result = { size: hashing.byteCount, sha256: hashing.sha256() };
          if (options.sha256 && result.sha256 !== options.sha256)
            throw new StorageIntegrityError(key, options.sha256, result.sha256);
        }
        await rename(temp, target);
        return result;
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        if (isBuffer && errorCode(error) === 'ENOENT' && attempt < 2) continue;
        throw this.translate(error, 'put', key);
      }
    }
  }

  async get(key: string): Promise<StoredObject> {
    try {
      const handle = await open(this.pathOf(key), 'r');
      try {
        const { size } = await handle.stat();
        // The stream owns the handle from here (closed when it ends or is destroyed).
        return { body: handle.createReadStream(), size, contentType: null };
      } catch (error) {
        await handle.close();
        throw error;
      }
    } catch (error) {
      throw this.translate(error, 'get', key);
    }
  }

  /**
   * The whole file in one read: fs.readFile reads in 512 KB steps, each a trip through the thread pool and the event
   * loop, which for a 20 MB photo on a busy process adds up to a visible delay.
   */
  async read(key: string): Promise<Buffer> {
    try {
      const handle = await open(this.pathOf(key), 'r');
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
    } catch (error) {
      throw this.translate(error, 'read', key);
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { key, size: s.size, lastModified: s.mtime, sha256: null } : null;
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return null;
      throw this.translate(error, 'stat', key);
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw this.translate(error, 'delete', key);
    }
    await this.removeEmptyFolders(dirname(path));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertPrefix(prefix, { allowEmpty: false });
    const keys: string[] = [];
    for await (const object of this.list(prefix)) keys.push(object.key);
    // Leftovers of interrupted writes of these keys go too.
    const { dir, namePrefix } = this.split(prefix);
    const temps = (await this.names(dir)).filter((n) => n.startsWith(namePrefix) && TEMP_FILE.test(n));
    try {
      await Promise.all([
        ...keys.map((key) => rm(this.pathOf(key), { force: true })),
        ...temps.map((name) => rm(join(dir, name), { force: true })),
      ]);
    } catch (error) {
      throw this.translate(error, 'deletePrefix', prefix);
    }
    const folders = new Set(keys.map((key) => dirname(this.pathOf(key))));
    folders.add(dir);
    for (const folder of [...folders].sort((a, b) => b.length - a.length))
      await this.removeEmptyFolders(folder);
    return keys.length;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertPrefix(prefix, { allowEmpty: true });
    const { dir, namePrefix } = this.split(prefix);
    yield* this.walk(dir, namePrefix);
  }

  presignedGetUrl(): Promise<string | null> {
    return Promise.resolve(null);
  }

  async probe(): Promise<StorageProbe> {
    const started = Date.now();
    try {
      await mkdir(this.root, { recursive: true });
      const handle = await open(this.root, 'r');
      await handle.close();
      return { ok: true, latencyMs: Date.now() - started, error: null };
    } catch (error) {
      return {
        ok: false,
        latencyMs: Date.now() - started,
        error: `The uploads folder cannot be used: ${(error as Error).message}`,
      };
    }
  }

  // ---- helpers ----

  /** `A1/A2.` → the folder A1 and names starting with `A2.`; `exports/` → the folder exports and every name. */
  private split(prefix: string): { dir: string; namePrefix: string } {
    const slash = prefix.lastIndexOf('/');
    const dirPart = slash >= 0 ? prefix.slice(0, slash) : '';
    return {
      dir: dirPart ? join(this.root, ...dirPart.split('/')) : this.root,
      namePrefix: prefix.slice(slash + 1),
    };
  }

  private async names(dir: string): Promise<string[]> {
    try {
      return await readdir(dir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return [];
      throw this.translate(error, 'list', relative(this.root, dir));
    }
  }

  private async *walk(dir: string, namePrefix: string): AsyncGenerator<ObjectInfo> {
    let entries: Array<{ name: string; isDirectory(): boolean; isFile(): boolean }>;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      throw this.translate(error, 'list', relative(this.root, dir));
    }
    // Key order, as S3 lists: compare the names as keys continue them (a folder's keys continue with '/').
    const sortName = (e: { name: string; isDirectory(): boolean }) =>
      e.isDirectory() ? `${e.name}/` : e.name;
    entries.sort((a, b) => (sortName(a) < sortName(b) ? -1 : sortName(a) > sortName(b) ? 1 : 0));
    for (const entry of entries) {
      if (!entry.name.startsWith(namePrefix)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* this.walk(path, '');
      } else if (entry.isFile()) {
        const key = relative(this.root, path).split(sep).join('/');
        if (!isStorageKey(key)) continue; // temporary files of writes under way, dot files
        let info;
        try {
          info = await stat(path);
        } catch (error) {
          if (errorCode(error) === 'ENOENT') continue; // deleted while listing
          throw this.translate(error, 'list', key);
        }
        yield { key, size: info.size, lastModified: info.mtime, sha256: null };
      }
    }
  }

  /** Removes `folder` and its parents while they are empty, never the root. */
  private async removeEmptyFolders(folder: string): Promise<void> {
    let current = folder;
    while (current.startsWith(this.root + sep)) {
      try {
        await rmdir(current);
      } catch (error) {
        if (['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(errorCode(error) ?? '')) {
          if (errorCode(error) !== 'ENOENT') return;
        } else {
          throw this.translate(error, 'delete', relative(this.root, current));
        }
      }
      current = dirname(current);
    }
  }

  private translate(error: unknown, operation: string, key: string): unknown {
    if (error instanceof StorageIntegrityError) return error;
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return new StorageNotFoundError(key);
    if (code && UNAVAILABLE_CODES.has(code)) return new StorageUnavailableError(operation, error);
    return error;
  }
}
