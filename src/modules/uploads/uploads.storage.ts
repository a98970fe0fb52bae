import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { FILE_STORAGE, type FileStorage, type StoredObject } from '../../infrastructure/storage/file-storage';
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

/**
 * An upload's files in the configured FileStorage (local disk or S3, docs/storage.md) under the key
 * `{folder}/{uploadId}.{file}` — on local disk the same path below UPLOADS_DIR as before the driver existed. Every
 * key segment is a validated global id or one of four fixed names, never anything a client sent.
 *
 * Never public: the only way out is GET /uploads/:id/content, which checks the organization (and with S3_PRESIGN
 * answers with a short-lived pre-signed URL instead of the bytes).
 */
@Injectable()
export class UploadStorage {
  constructor(
    @Inject(FILE_STORAGE) readonly files: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private folderKey(folder: string): string {
    if (!isGlobalId(this.config.globalIdPrefix, folder))
      throw new Error(`Not an upload folder id: ${String(folder)}`);
    return folder;
  }

  keyOf(key: StorageKey, file: StoredFile): string {
    if (!isGlobalId(this.config.globalIdPrefix, key._id))
      throw new Error(`Not an upload id: ${String(key._id)}`);
    return `${this.folderKey(key.folder)}/${key._id}.${FILE_SUFFIX[file]}`;
  }

  async write(key: StorageKey, file: StoredFile, data: Buffer, contentType?: string): Promise<void> {
    await this.files.put(this.keyOf(key, file), data, { contentType });
  }

  /** The whole file (throws StorageNotFoundError when it is not there). */
  read(key: StorageKey, file: StoredFile): Promise<Buffer> {
    return this.files.read(this.keyOf(key, file));
  }

  /** Opens the file for streaming: size and a stream (throws StorageNotFoundError when it is not there). */
  open(key: StorageKey, file: StoredFile): Promise<StoredObject> {
    return this.files.get(this.keyOf(key, file));
  }

  /** A short-lived URL that downloads the file without the API, or null (local disk, or S3 without S3_PRESIGN). */
  downloadUrl(
    key: StorageKey,
    file: StoredFile,
    options: { fileName: string; contentType: string },
  ): Promise<string | null> {
    return this.files.presignedGetUrl(this.keyOf(key, file), options);
  }

  async remove(key: StorageKey, file: StoredFile): Promise<void> {
    await this.files.delete(this.keyOf(key, file));
  }

  /**
   * Every file of the upload (variants, the incoming file, leftovers of interrupted writes), then (local disk) the
   * folder if that left it empty. Idempotent.
   */
  async removeAll(key: StorageKey): Promise<void> {
    if (!isGlobalId(this.config.globalIdPrefix, key._id))
      throw new Error(`Not an upload id: ${String(key._id)}`);
    await this.files.deletePrefix(`${this.folderKey(key.folder)}/${key._id}.`);
  }

  /** Names of the files in a folder (tests and diagnostics). */
  async list(folder: string): Promise<string[]> {
    const prefix = `${this.folderKey(folder)}/`;
    const names: string[] = [];
    for await (const object of this.files.list(prefix)) names.push(object.key.slice(prefix.length));
    return names.sort();
  }
}
