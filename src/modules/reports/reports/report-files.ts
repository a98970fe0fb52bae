import { Inject, Injectable } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';

/**
 * Where report files live: ONE small class, so that moving to the shared storage driver
 * (`src/infrastructure/storage`, S3 or local, being built at the same time) changes this file only. Until then files
 * are on local disk under `UPLOADS_DIR/reports/<organization>/<report>.<ext>` — which only works while every API and
 * worker replica shares that disk. A file is written under a temporary name and renamed when complete, so a reader
 * never sees half a file.
 */
@Injectable()
export class ReportFiles {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = resolve(config.uploadsDir, 'reports');
  }

  keyOf(organizationId: string, reportId: string, ext: string): string {
    return `${organizationId}/${reportId}.${ext}`;
  }

  private pathOf(key: string): string {
    if (!/^[A-Za-z0-9]+\/[A-Za-z0-9]+\.[a-z]+$/.test(key)) throw new Error(`Not a report file key: ${key}`);
    return join(this.root, key);
  }

  /** A stream to write the file into; `commit()` after it finished makes it visible and answers its size. */
  async create(
    key: string,
  ): Promise<{ stream: Writable; commit(): Promise<number>; abort(): Promise<void> }> {
    const path = this.pathOf(key);
    const temporary = `${path}.part`;
    await mkdir(dirname(path), { recursive: true });
    const stream = createWriteStream(temporary);
    return {
      stream,
      async commit() {
        await rename(temporary, path);
        return (await stat(path)).size;
      },
      async abort() {
        stream.destroy();
        await rm(temporary, { force: true });
      },
    };
  }

  open(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
