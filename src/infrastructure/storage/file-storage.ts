import type { Readable } from 'node:stream';

/**
 * Where files live: uploads, exports, reports. One interface, two drivers (docs/storage.md):
 *   - `local`: a folder on this machine's disk (the default; one server, or a shared volume);
 *   - `s3`: an S3-compatible bucket (AWS S3, SeaweedFS, MinIO, …) that any number of API and worker replicas share.
 *
 * Keys are relative paths of safe segments (`A000123/A000124.original`, `exports/A000001/A000200.zip`): letters,
 * digits, `.`, `_` and `-`, each segment starting with a letter or digit, joined by `/` — see storage-keys.ts.
 * A key is never built from anything a client sent without validation; a bad key is a programming error.
 *
 * Errors: a missing object → StorageNotFoundError; the storage cannot be reached, answers with a server error, or
 * does not answer in time → StorageUnavailableError (HTTP 503 SERVICE_UNAVAILABLE, `details.dependency: 'storage'`).
 */
export interface FileStorage {
  readonly driver: 'local' | 's3';
  /** For logs and health details: `local disk /srv/uploads`, `s3 http://127.0.0.1:8333 bucket westwallet`. */
  readonly location: string;

  /**
   * Stores an object whole (replacing one under the same key): a reader never sees a half-written object. A Buffer
   * is sent in one request; a stream is written as it arrives (S3: multipart in parts of 8 MB), so a large export
   * never sits in memory. Resolves with the size and SHA-256 of what was stored. With `sha256` given, the bytes
   * are checked against it and nothing is kept when they differ (StorageIntegrityError).
   */
  put(key: string, body: Buffer | Readable, options?: PutOptions): Promise<PutResult>;

  /** Opens an object for streaming (S3: the GET is sent now, so a missing object or an outage throws here). */
  get(key: string): Promise<StoredObject>;

  /** The whole object in memory (small files: images to process). */
  read(key: string): Promise<Buffer>;

  /** Size, time and (when stored with one) SHA-256; null when there is no such object. */
  stat(key: string): Promise<ObjectInfo | null>;

  /** Removes one object; nothing there is fine. */
  delete(key: string): Promise<void>;

  /** Removes every object whose key starts with `prefix` (not empty); resolves with how many. */
  deletePrefix(prefix: string): Promise<number>;

  /** Every object whose key starts with `prefix` ('' for all), in key order, paged internally. */
  list(prefix: string): AsyncIterable<ObjectInfo>;

  /**
   * A URL that downloads the object without the API for `expiresInSeconds` (S3 with S3_PRESIGN), with the given
   * download name and type; null when this storage does not hand out URLs (local disk, or S3 without S3_PRESIGN).
   */
  presignedGetUrl(key: string, options?: PresignOptions): Promise<string | null>;

  /** Reachability, for health checks: a cheap request with a short deadline. Never throws. */
  probe(timeoutMs: number): Promise<StorageProbe>;
}

export interface PutOptions {
  contentType?: string;
  /** Known SHA-256 (hex) of the bytes: stored with the object and checked against what was sent. */
  sha256?: string;
  /** Known size of a streamed body (lets S3 skip the multipart machinery for small streams). */
  size?: number;
}

export interface PutResult {
  size: number;
  sha256: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
  /** Stored with the object by put() (S3 user metadata); null on local disk or for objects written by others. */
  sha256: string | null;
}

export interface StoredObject {
  body: Readable;
  size: number;
  contentType: string | null;
}

export interface PresignOptions {
  /** Download name (`Content-Disposition: attachment`). */
  fileName?: string;
  /** Served as this type, whatever was stored. */
  contentType?: string;
  expiresInSeconds?: number;
}

export interface StorageProbe {
  ok: boolean;
  latencyMs: number;
  /** Why not ok (one English sentence), or null. */
  error: string | null;
}

/** The injection token of the configured FileStorage. */
export const FILE_STORAGE = Symbol('FILE_STORAGE');
