import { Inject, Injectable } from '@nestjs/common';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { isGlobalId } from '../../../infrastructure/mongo/global-id';
import { FILE_STORAGE, type FileStorage } from '../../../infrastructure/storage/file-storage';
import { storageKey } from '../../../infrastructure/storage/storage-keys';

/** A report file being written: render into `stream`, then `done` answers the stored size. */
export interface ReportFileWrite {
  stream: Writable;
  /** Resolves when the storage has the whole file; rejects at once when the storage fails (the stream errors too). */
  done: Promise<number>;
  /** Stops a write that went wrong; nothing is kept. */
  abort(): Promise<void>;
}

/**
 * Report files in the shared file storage (`src/infrastructure/storage`: local disk or an S3-compatible bucket, so
 * any API replica can serve what any worker made), under `reports/<organization>/<report>.<format>`. The renderer
 * streams into the storage's `put` (S3: multipart), which stores the object whole: a reader never sees half a file.
 */
@Injectable()
export class ReportFiles {
  constructor(
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  keyOf(organizationId: string, reportId: string, format: string): string {
    for (const id of [organizationId, reportId])
      if (!isGlobalId(this.config.globalIdPrefix, id)) throw new Error(`Not a record id: ${String(id)}`);
    return storageKey('reports', organizationId, `${reportId}.${format}`);
  }

  create(key: string, contentType: string): ReportFileWrite {
    const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
    const done = this.storage.put(key, stream, { contentType }).then(
      (stored) => stored.size,
      (error: unknown) => {
        stream.destroy(error instanceof Error ? error : new Error(String(error)));
        throw error;
      },
    );
    return {
      stream,
      done,
      abort: async () => {
        stream.destroy();
        await done.catch(() => undefined);
        await this.storage.delete(key);
      },
    };
  }

  /** Opens a stored file (StorageNotFoundError when it is not there). */
  async open(key: string): Promise<{ body: Readable; size: number }> {
    const object = await this.storage.get(key);
    return { body: object.body, size: object.size };
  }

  remove(key: string): Promise<void> {
    return this.storage.delete(key);
  }
}
