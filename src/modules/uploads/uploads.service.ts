import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { RequestContext } from '../../common/context/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { GlobalIdService } from '../../infrastructure/mongo/global-id.service';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import { JobQueue } from '../../infrastructure/queue/queue.module';
import { jobIdFor, JobName, QueueName } from '../../infrastructure/queue/queue.constants';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { RecordRegistry } from '../trash/record-registry';
import type { DependentRef, RecordRef } from '../trash/record-types';
import { TrashService } from '../trash/trash.service';
import type { UndoPayload } from '../trash/trash.undo';
import { sanitizeFileName, withExtension } from './media/file-names';
import {
  ImageProcessingError,
  inspectImage,
  prepareImage,
  renderVariants,
  type ImageInfo,
} from './media/image-processor';
import { Limiter } from './media/limiter';
import { sniff, typeOf, SUPPORTED_MIME_TYPES } from './media/sniff';
import { UploadMetadataCache } from './uploads.cache';
import { UploadsError } from './uploads.errors';
import { apiPath } from '../../common/http/api';
import { UploadsRepository } from './uploads.repository';
import type { StoredVariant, UploadDoc, UploadFailure, VariantName } from './uploads.schema';
import { UploadStorage } from './uploads.storage';
import { isStorageNotFound } from '../../infrastructure/storage/storage-errors';
import { notFound } from '../../common/errors/domain-error';

export const UPLOAD_RECORD_TYPE = 'upload';

/** What multer hands over (memory storage). */
export interface IncomingFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

export interface VariantView {
  mimeType: string;
  size: number;
  width: number | null;
  height: number | null;
  href: string;
}

export interface UploadView {
  id: string;
  name: string;
  mimeType: string;
  kind: 'image' | 'document';
  size: number;
  status: UploadDoc['status'];
  width: number | null;
  height: number | null;
  variants: Partial<Record<VariantName, VariantView>>;
  failure: UploadFailure | null;
  note: string | null;
  recordId: string | null;
  recordType: string | null;
  uploadedBy: string;
  createdAt: Date;
}

/**
 * What the controller sends for one variant: 304 (`notModified`), a redirect to a pre-signed URL (`redirect`,
 * S3 with S3_PRESIGN), or the bytes (`body`, already opened: a missing file or a storage outage has been said).
 */
export interface ContentToSend {
  etag: string;
  notModified: boolean;
  mimeType: string;
  size: number;
  fileName: string;
  redirect?: string;
  body?: Readable;
}

const HASH_CHUNK = 1 << 20;
/** An image still `processing` this long after its upload has lost its job (see requeueStuck). */
const STUCK_AFTER_MS = 5 * 60_000;

/**
 * Image conversions running at once in this process, whatever the queue's concurrency: one per CPU. More would
 * only share the same cores, and would crowd libuv's thread pool (sharp runs there too) so that file and crypto
 * work of requests in the same process (APP_ROLE=all) waits behind long encodes.
 */
const IMAGE_WORK = new Limiter(Math.max(1, availableParallelism()));

/** SHA-256 in 1 MB steps, yielding in between: a 20 MB file never blocks the event loop for more than a moment. */
export async function sha256(data: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for (let offset = 0; offset < data.length; offset += HASH_CHUNK) {
    hash.update(data.subarray(offset, offset + HASH_CHUNK));
    if (offset + HASH_CHUNK < data.length) await yieldToEventLoop();
  }
  return hash.digest('hex');
}

/** `If-None-Match` holds this ETag (or `*`); weak comparison as RFC 9110 asks for this header. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

const EXTENSIONS: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/heic': ['heic', 'heif'],
  'image/heif': ['heif', 'heic'],
  'image/avif': ['avif', 'heif'],
};

/** The download name of the original: the user's name, with the extension corrected when it lies about the type. */
function originalFileName(upload: UploadDoc, mimeType: string): string {
  const { extension } = typeOf(upload.format);
  const dot = upload.name.lastIndexOf('.');
  const current = dot > 0 ? upload.name.slice(dot + 1).toLowerCase() : '';
  const allowed = EXTENSIONS[mimeType] ?? [extension];
  return allowed.includes(current)
    ? upload.name
    : withExtension(upload.name, mimeType === 'image/avif' ? 'avif' : extension);
}

@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);

  constructor(
    private readonly uploads: UploadsRepository,
    private readonly storage: UploadStorage,
    private readonly cache: UploadMetadataCache,
    private readonly registry: RecordRegistry,
    private readonly trash: TrashService,
    private readonly ids: GlobalIdService,
    private readonly jobs: JobQueue,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  view(upload: UploadDoc): UploadView {
    const variants: Partial<Record<VariantName, VariantView>> = {};
    for (const [name, variant] of Object.entries(upload.variants ?? {}) as Array<
      [VariantName, StoredVariant]
    >) {
      variants[name] = {
        mimeType: variant.mimeType,
        size: variant.size,
        width: variant.width,
        height: variant.height,
        href: `${apiPath('uploads', upload._id, 'content')}?variant=${name}`,
      };
    }
    return {
      id: upload._id,
      name: upload.name,
      mimeType: upload.mimeType,
      kind: upload.kind,
      size: upload.size,
      status: upload.status,
      width: upload.width,
      height: upload.height,
      variants,
      failure: upload.failure,
      note: upload.note,
      recordId: upload.recordId,
      recordType: upload.recordType,
      uploadedBy: upload.uploadedBy,
      createdAt: upload.createdAt,
    };
  }

  /**
   * Stores an upload. The type comes from the bytes; an image's header is read (no decoding) to refuse absurd
   * pixel counts before anything is stored. Images are kept as an `incoming` file nobody can download and are
   * processed by the worker; PDFs are ready at once.
   */
  async upload(file: IncomingFile | undefined, recordId: string | undefined): Promise<UploadView> {
    if (!file) throw new UploadsError('FILE_REQUIRED');
    if (file.size === 0 || file.buffer.length === 0) throw new UploadsError('EMPTY_FILE');
    const type = sniff(file.buffer);
    if (!type)
      throw new UploadsError('UNSUPPORTED_MEDIA_TYPE', undefined, { accepted: SUPPORTED_MIME_TYPES });

    // The checks and the id allocation run side by side (an id lost to a refused upload is a harmless gap).
    const [owner, info, id] = await Promise.all([
      this.resolveOwner(recordId),
      type.kind === 'image' ? this.inspect(file.buffer) : Promise.resolve(null),
      this.ids.getNextGlobalId(),
    ]);
    const actor = this.context.requireActor();
    const key = { _id: id, folder: owner?.id ?? id };
    const isImage = type.kind === 'image';
    await this.storage.write(key, isImage ? 'incoming' : 'original', file.buffer, type.mimeType);
    const variants: Partial<Record<VariantName, StoredVariant>> = isImage
      ? {}
      : {
          original: {
            mimeType: type.mimeType,
            size: file.buffer.length,
            sha256: await sha256(file.buffer),
            width: null,
            height: null,
          },
        };
    let upload: UploadDoc;
    try {
      upload = await this.uploads.create({
        _id: id,
        recordId: owner?.id ?? null,
        recordType: owner?.type ?? null,
        folder: key.folder,
        name: sanitizeFileName(file.originalname),
        format: type.format,
        mimeType: type.mimeType,
        kind: type.kind,
        size: file.buffer.length,
        status: isImage ? 'processing' : 'ready',
        width: info?.width ?? null,
        height: info?.height ?? null,
        variants,
        failure: null,
        note: null,
        uploadedBy: actor.userId,
      });
    } catch (error) {
      await this.storage.removeAll(key).catch(() => undefined);
      throw error;
    }
    if (isImage) await this.enqueueProcessing(upload);
    await this.audit.record({
      action: AuditAction.UploadCreated,
      targetType: UPLOAD_RECORD_TYPE,
      targetId: id,
      metadata: {
        name: upload.name,
        mimeType: upload.mimeType,
        size: upload.size,
        recordId: upload.recordId,
      },
    });
    return this.view(upload);
  }

  private async resolveOwner(recordId: string | undefined): Promise<RecordRef | null> {
    if (!recordId) return null;
    const owner = await this.registry.resolveOwner(recordId);
    if (!owner) throw notFound('record');
    return { type: owner.type, id: owner.id };
  }

  /** Header only: dimensions for the response, and absurd pixel counts refused before anything is stored. */
  private async inspect(buffer: Buffer): Promise<ImageInfo> {
    try {
      return await inspectImage(buffer, this.config.uploads.maxPixels);
    } catch (error) {
      if (
        error instanceof ImageProcessingError &&
        (error.code === 'IMAGE_TOO_MANY_PIXELS' ||
          error.code === 'IMAGE_TOO_MANY_FRAMES' ||
          error.code === 'IMAGE_UNREADABLE')
      ) {
        throw new UploadsError(error.code, error.message);
      }
      throw error;
    }
  }

  private async enqueueProcessing(upload: UploadDoc): Promise<void> {
    try {
      await this.jobs.add(
        JobName.ProcessUpload,
        { organizationId: upload.organizationId, uploadId: upload._id },
        { jobId: jobIdFor(JobName.ProcessUpload, upload._id) },
      );
    } catch (error) {
      // Without a job it would stay `processing` for ever: say what happened instead.
      await this.uploads.markFailed(upload._id, {
        code: 'QUEUE_UNAVAILABLE',
        message: 'The file could not be queued for processing',
      });
      throw error;
    }
  }

  async list(filter: { recordId?: string }, page: PageRequest): Promise<Page<UploadView>> {
    const result = await this.uploads.list(filter, page);
    return { items: result.items.map((u) => this.view(u)), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<UploadView> {
    const upload = await this.load(id);
    if (upload.status === 'processing' && Date.now() - upload.createdAt.getTime() > STUCK_AFTER_MS) {
      await this.requeueStuck(upload);
    }
    return this.view(upload);
  }

  /**
   * Self-healing for an image that has been `processing` for minutes (the API died between storing it and
   * enqueuing, or a worker died mid-job and BullMQ gave the stalled job up): whoever looks at it puts its job back.
   * The jobId makes this a no-op while the job is still waiting or running.
   */
  private async requeueStuck(upload: UploadDoc): Promise<void> {
    try {
      const job = await this.jobs
        .queue(QueueName.Uploads)
        .getJob(jobIdFor(JobName.ProcessUpload, upload._id));
      if (!job) await this.enqueueProcessing(upload);
      else if ((await job.getState()) === 'failed') await job.retry('failed');
      else return;
      this.logger.warn({ uploadId: upload._id }, 'Re-queued an upload stuck in processing');
    } catch (error) {
      this.logger.error({ err: error, uploadId: upload._id }, 'Could not re-queue a stuck upload');
    }
  }

  /** A live upload of the current organization, through the Redis cache. */
  private async load(id: string): Promise<UploadDoc> {
    const { organizationId } = this.context.requireTenant();
    const cached = await this.cache.get(organizationId, id);
    if (cached.doc) return cached.doc;
    const upload = await this.uploads.findById(id);
    if (!upload) throw notFound('upload');
    await this.cache.set(organizationId, id, cached.gen, upload);
    return upload;
  }

  /** One variant to stream, or `notModified` when the client's ETag is current. */
  async content(id: string, variant: VariantName, ifNoneMatch: string | undefined): Promise<ContentToSend> {
    const upload = await this.load(id);
    const stored = upload.variants?.[variant];
    if (!stored) {
      if (upload.status === 'processing')
        throw new UploadsError('UPLOAD_PROCESSING', undefined, { status: upload.status });
      if (upload.status === 'failed')
        throw new UploadsError('UPLOAD_FAILED', undefined, { failure: upload.failure });
      throw new UploadsError('VARIANT_NOT_AVAILABLE', undefined, { variant, note: upload.note });
    }
    const etag = `"${stored.sha256.slice(0, 40)}"`;
    const fileName =
      variant === 'original'
        ? originalFileName(upload, stored.mimeType)
        : withExtension(upload.name, 'webp', variant === 'thumbnail' ? '-thumbnail' : '');
    const base = { etag, mimeType: stored.mimeType, size: stored.size, fileName };
    if (etagMatches(ifNoneMatch, etag)) return { ...base, notModified: true };
    const redirect = await this.storage.downloadUrl(upload, variant, {
      fileName,
      contentType: stored.mimeType,
    });
    if (redirect) return { ...base, notModified: false, redirect };
    try {
      const object = await this.storage.open(upload, variant);
      return { ...base, size: object.size, notModified: false, body: object.body };
    } catch (error) {
      if (!isStorageNotFound(error)) throw error;
      this.logger.error({ uploadId: id, variant }, 'A stored variant is missing in the file storage');
      throw new UploadsError('VARIANT_NOT_AVAILABLE');
    }
  }

  /** DELETE /uploads/:id: to the trash, with everything attached to it. */
  remove(id: string): Promise<UndoPayload> {
    return this.trash.delete(UPLOAD_RECORD_TYPE, id);
  }

  // ---- hooks for the trash (registered in uploads.module.ts) ----

  find(id: string, withDeleted: boolean): Promise<UploadDoc | null> {
    return this.uploads.findById(id, { withDeleted });
  }

  async softDelete(id: string, at: Date): Promise<UploadDoc | null> {
    const deleted = await this.uploads.softDeleteById(id, at);
    await this.cache.invalidate(this.context.requireTenant().organizationId, id);
    return deleted;
  }

  async restore(id: string): Promise<UploadDoc | null> {
    const restored = await this.uploads.restoreById(id);
    await this.cache.invalidate(this.context.requireTenant().organizationId, id);
    return restored;
  }

  /** Files first, then the document: a crash in between leaves a document whose purge can simply run again. */
  async purge(id: string): Promise<void> {
    const upload = await this.uploads.findById(id, { withDeleted: true });
    if (!upload?.isDeleted) return;
    await this.storage.removeAll(upload);
    await this.uploads.hardDelete(id);
    await this.cache.invalidate(upload.organizationId, id);
  }

  async dependentsOf(parent: RecordRef): Promise<DependentRef[]> {
    const attached = await this.uploads.attachedTo(parent.id);
    return attached.map((u) => ({ type: UPLOAD_RECORD_TYPE, id: u._id, isDeleted: u.isDeleted }));
  }

  /**
   * An upload attached to a bookkeeping record is part of its underlag (räkenskapsinformation): just as immutable.
   * Asked of the record itself, so a type that is bookkeeping per record (a booked transaction) counts too, and
   * through chains (an upload attached to an upload attached to a verifikation).
   */
  async isBookkeeping(upload: UploadDoc): Promise<boolean> {
    if (!upload.recordId || !upload.recordType) return false;
    return this.registry.isBookkeepingRecord({ type: upload.recordType, id: upload.recordId });
  }

  // ---- the worker ----

  /**
   * Processes one queued image: variants and the metadata-free original are written (temp name + rename) before
   * the upload is marked ready, then the incoming file is removed. Safe to run again after a crash at any step.
   * Throws ImageProcessingError for a file that will never work (the caller ends the job as failed at once).
   * The original is stored while the WebP variants are being encoded.
   */
  async processQueued(id: string): Promise<'ready' | 'skipped'> {
    const upload = await this.uploads.findById(id, { withDeleted: true });
    if (!upload || upload.status !== 'processing' || upload.format === 'pdf') return 'skipped';
    let source: Buffer;
    try {
      source = await this.storage.read(upload, 'incoming');
    } catch (error) {
      if (isStorageNotFound(error)) {
        throw new ImageProcessingError('IMAGE_UNREADABLE', 'The uploaded file is missing');
      }
      throw error;
    }
    const format = upload.format;
    const variants = await IMAGE_WORK.run(async () => {
      const prepared = await prepareImage(source, format, this.config.uploads.maxPixels);
      const { width, height } = prepared;
      const stored = [this.storeVariant(upload, 'original', { ...prepared.original, width, height })];
      if (prepared.pixels) {
        const { compressed, thumbnail } = await renderVariants(prepared.pixels);
        stored.push(this.storeVariant(upload, 'compressed', compressed));
        stored.push(this.storeVariant(upload, 'thumbnail', thumbnail));
      }
      return { list: await Promise.all(stored), width, height, note: prepared.note };
    });
    const ready = await this.uploads.markReady(id, {
      variants: Object.fromEntries(variants.list),
      width: variants.width,
      height: variants.height,
      note: variants.note,
    });
    if (!ready) {
      // Purged (or finished by another run) meanwhile: do not leave files nobody owns.
      const still = await this.uploads.findById(id, { withDeleted: true });
      if (!still) await this.storage.removeAll(upload);
      return 'skipped';
    }
    await Promise.all([
      this.storage.remove(upload, 'incoming'),
      this.cache.invalidate(upload.organizationId, id),
    ]);
    return 'ready';
  }

  private async storeVariant(
    upload: UploadDoc,
    name: VariantName,
    output: { data: Buffer; mimeType: string; width: number | null; height: number | null },
  ): Promise<[VariantName, StoredVariant]> {
    const [hash] = await Promise.all([
      sha256(output.data),
      this.storage.write(upload, name, output.data, output.mimeType),
    ]);
    return [
      name,
      {
        mimeType: output.mimeType,
        size: output.data.length,
        sha256: hash,
        width: output.width,
        height: output.height,
      },
    ];
  }

  /** The job gave up: `failed` with the reason, the incoming file removed (nothing can serve or retry it). */
  async markFailed(id: string, failure: UploadFailure): Promise<void> {
    const failed = await this.uploads.markFailed(id, failure);
    if (failed) {
      await this.storage.remove(failed, 'incoming');
      await this.cache.invalidate(failed.organizationId, id);
    }
  }
}
