import type { StorageConfig } from '../../config/app-config';
import type { FileStorage } from './file-storage';
import { LocalDiskStorage } from './local-disk.storage';

/** What the S3 driver adds to FileStorage, for start and shutdown (the module never imports the SDK eagerly). */
export interface BucketStorage extends FileStorage {
  readonly driver: 's3';
  readonly bucket: string;
  ensureBucket(): Promise<'exists' | 'created'>;
  destroy(): void;
}

export const isBucketStorage = (storage: FileStorage): storage is BucketStorage => storage.driver === 's3';

/**
 * The driver STORAGE_DRIVER names. The S3 driver (and with it the AWS SDK) is loaded only when chosen: a process
 * on local disk never loads it.
 */
export async function createFileStorage(config: StorageConfig): Promise<FileStorage> {
  if (config.driver === 's3') {
    if (!config.s3) throw new Error('STORAGE_DRIVER=s3 needs S3_BUCKET');
    const { S3Storage } = await import('./s3.storage');
    return new S3Storage(config.s3);
  }
  return new LocalDiskStorage(config.local.dir);
}
