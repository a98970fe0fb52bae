import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { S3StorageConfig } from '../../config/app-config';
import type {
  FileStorage,
  ObjectInfo,
  PresignOptions,
  PutOptions,
  PutResult,
  StorageProbe,
  StoredObject,
} from './file-storage';
import { HashingStream, sha256Of } from './hashing';
import { StorageIntegrityError, StorageNotFoundError, StorageUnavailableError } from './storage-errors';
import { assertKey, assertPrefix } from './storage-keys';

/** Streamed puts go up in parts of this size (S3's minimum is 5 MB); two parts in flight at most. */
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
/** DeleteObjects takes at most 1000 keys a request. */
const DELETE_BATCH = 1000;
const SHA256_META = 'sha256';

interface SdkError {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** RFC 6266 `attachment` with an ASCII fallback and the UTF-8 name (Swedish letters survive). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The client options shared by the S3 driver and `npm run storage:migrate`. */
export function s3ClientConfig(config: S3StorageConfig, endpoint = config.endpoint): S3ClientConfig {
  return {
    endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    maxAttempts: config.maxAttempts,
    // S3-compatible servers do not all know the newer CRC checksums: send and check them only where S3 requires.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs,
      // Until the answer's headers: an error, not a warning, so that a server that accepts and never answers
      // ends in a 503 instead of a hung request. socketTimeout: the longest silence while a body flows.
      requestTimeout: config.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: config.requestTimeoutMs,
    },
  };
}

/**
 * An S3-compatible bucket (AWS S3, SeaweedFS, MinIO, …) through AWS SDK v3. Every key is stored under
 * S3_PREFIX. A put sends the SHA-256 as user metadata (`x-amz-meta-sha256`) and, for a Buffer, Content-MD5 so
 * that the server refuses bytes damaged on the way. Timeouts (connect, answer, silence) and S3_MAX_ATTEMPTS
 * bound every request: an outage ends in StorageUnavailableError (503), never a hang.
 */
export class S3Storage implements FileStorage {
  readonly driver = 's3' as const;
  readonly location: string;
  readonly client: S3Client;
  /** Signs download URLs for S3_PRESIGN_ENDPOINT when set (the address browsers reach), else the client. */
  private readonly presigner: S3Client;
  private readonly logger = new Logger('S3Storage');

  constructor(private readonly config: S3StorageConfig) {
    this.client = new S3Client(s3ClientConfig(config));
    this.presigner =
      config.presignEndpoint && config.presignEndpoint !== config.endpoint
        ? new S3Client(s3ClientConfig(config, config.presignEndpoint))
        : this.client;
    this.location = `s3 ${config.endpoint ?? `aws ${config.region}`} bucket ${config.bucket}${config.prefix ? ` prefix ${config.prefix}` : ''}`;
  }

  get bucket(): string {
    return this.config.bucket;
  }

  private objectKey(key: string): string {
    return `${this.config.prefix}${assertKey(key)}`;
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<PutResult> {
    const Key = this.objectKey(key);
    if (Buffer.isBuffer(body)) {
      const sha256 = sha256Of(body);
      if (options.sha256 && options.sha256 !== sha256)
        throw new StorageIntegrityError(key, options.sha256, sha256);
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.config.bucket,
            Key,
            Body: body,
            ContentLength: body.length,
            ContentType: options.contentType,
            ContentMD5: createHash('md5').update(body).digest('base64'),
            Metadata: { [SHA256_META]: sha256 },
          }),
        );
      } catch (error) {
        throw this.translate(error, 'put', key);
      }
      return { size: body.length, sha256 };
    }

    const hashing = new HashingStream();
    body.once('error', (error) => hashing.destroy(error));
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.config.bucket,
        Key,
        Body: body.pipe(hashing),
        ContentType: options.contentType,
        Metadata: options.sha256 ? { [SHA256_META]: options.sha256 } : undefined,
      },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      throw this.translate(error, 'put', key);
    }
    const result = { size: hashing.byteCount, sha256: hashing.sha256() };
    if (options.sha256 && options.sha256 !== result.sha256) {
      await this.delete(key).catch(() => undefined);
      throw new StorageIntegrityError(key, options.sha256, result.sha256);
    }
    return result;
  }

  async get(key: string): Promise<StoredObject> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }),
      );
      const body = answer.Body;
      if (!(body instanceof Readable)) throw new Error('The S3 answer has no readable body');
      return { body, size: answer.ContentLength ?? 0, contentType: answer.ContentType ?? null };
    } catch (error) {
      throw this.translate(error, 'get', key);
    }
  }

  async read(key: string): Promise<Buffer> {
    const object = await this.get(key);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of object.body) chunks.push(chunk as Buffer);
    } catch (error) {
      throw this.translate(error, 'read', key);
    }
    return Buffer.concat(chunks);
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }),
      );
      return {
        key,
        size: head.ContentLength ?? 0,
        lastModified: head.LastModified ?? new Date(0),
        sha256: head.Metadata?.[SHA256_META] ?? null,
      };
    } catch (error) {
      const translated = this.translate(error, 'stat', key);
      if (translated instanceof StorageNotFoundError) return null;
      throw translated;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }),
      );
    } catch (error) {
      const translated = this.translate(error, 'delete', key);
      if (!(translated instanceof StorageNotFoundError)) throw translated;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertPrefix(prefix, { allowEmpty: false });
    let deleted = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const keys = batch;
      batch = [];
      try {
        const answer = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.config.bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = (answer.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length)
          throw new Error(`DeleteObjects: ${failed.map((e) => `${e.Key}: ${e.Code}`).join(', ')}`);
      } catch (error) {
        throw this.translate(error, 'deletePrefix', prefix);
      }
      deleted += keys.length;
    };
    for await (const object of this.list(prefix)) {
      batch.push(this.objectKey(object.key));
      if (batch.length >= DELETE_BATCH) await flush();
    }
    await flush();
    return deleted;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertPrefix(prefix, { allowEmpty: true });
    const strip = this.config.prefix.length;
    const pages = paginateListObjectsV2(
      { client: this.client, pageSize: 1000 },
      { Bucket: this.config.bucket, Prefix: `${this.config.prefix}${prefix}` },
    );
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (!object.Key) continue;
          yield {
            key: object.Key.slice(strip),
            size: object.Size ?? 0,
            lastModified: object.LastModified ?? new Date(0),
            sha256: null,
          };
        }
      }
    } catch (error) {
      throw this.translate(error, 'list', prefix);
    }
  }

  async presignedGetUrl(key: string, options: PresignOptions = {}): Promise<string | null> {
    const expiresIn = options.expiresInSeconds ?? this.config.presignTtlSeconds;
    if (!expiresIn) return null;
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: this.objectKey(key),
      ResponseContentDisposition: options.fileName ? attachment(options.fileName) : undefined,
      ResponseContentType: options.contentType,
      ResponseCacheControl: 'private, no-cache',
    });
    try {
      return await getSignedUrl(this.presigner, command, { expiresIn });
    } catch (error) {
      throw this.translate(error, 'presign', key);
    }
  }

  async probe(timeoutMs: number): Promise<StorageProbe> {
    const started = Date.now();
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return { ok: true, latencyMs: Date.now() - started, error: null };
    } catch (error) {
      const e = error as SdkError & Error;
      const status = e.$metadata?.httpStatusCode;
      const why =
        status === 404
          ? `the bucket ${this.config.bucket} does not exist`
          : status === 403
            ? `access to the bucket ${this.config.bucket} is denied`
            : e.name === 'AbortError' || e.name === 'TimeoutError'
              ? `no answer within ${timeoutMs} ms`
              : `${e.name ?? 'Error'}: ${e.message}`;
      return { ok: false, latencyMs: Date.now() - started, error: `Object storage is not reachable: ${why}` };
    }
  }

  /** Creates the bucket when it is missing (S3_CREATE_BUCKET). Another replica creating it at the same time is fine. */
  async ensureBucket(): Promise<'exists' | 'created'> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.config.bucket }));
      return 'exists';
    } catch (error) {
      if ((error as SdkError).$metadata?.httpStatusCode !== 404)
        throw this.translate(error, 'headBucket', '');
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.config.bucket }));
    } catch (error) {
      const name = (error as SdkError).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists')
        throw this.translate(error, 'createBucket', '');
    }
    return 'created';
  }

  destroy(): void {
    this.client.destroy();
    if (this.presigner !== this.client) this.presigner.destroy();
  }

  private translate(error: unknown, operation: string, key: string): Error {
    if (error instanceof StorageIntegrityError || error instanceof StorageUnavailableError) return error;
    if (error instanceof StorageNotFoundError) return error;
    const e = error as SdkError;
    const status = e.$metadata?.httpStatusCode;
    if (e.name === 'NoSuchKey' || e.name === 'NotFound' || (status === 404 && e.name !== 'NoSuchBucket'))
      return new StorageNotFoundError(key);
    this.logger.warn(
      { err: error, operation, key, status },
      `Object storage ${operation} failed: ${(error as Error)?.message ?? String(error)}`,
    );
    return new StorageUnavailableError(operation, error);
  }
}
