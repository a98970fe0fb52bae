import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { BaseDoc } from '../../infrastructure/mongo/repositories';
import { MEDIA_FORMATS, type MediaFormat } from './media/sniff';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../infrastructure/mongo/plugins';

export const UPLOAD_STATUSES = ['processing', 'ready', 'failed'] as const;
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export const VARIANT_NAMES = ['original', 'compressed', 'thumbnail'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

/** One stored file of an upload. Its path is derived from ids (uploads.storage.ts), never stored. */
export interface StoredVariant {
  mimeType: string;
  size: number;
  /** Hex SHA-256 of the bytes: the ETag, and proof of what is on disk. */
  sha256: string;
  width: number | null;
  height: number | null;
}

export interface UploadFailure {
  code: string;
  message: string;
}

@Schema({ collection: 'uploads', timestamps: true, versionKey: false, minimize: false })
export class UploadEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** The record the file belongs to (any registered type), or null for a loose file. */
  @Prop({ type: String, default: null }) recordId!: string | null;
  @Prop({ type: String, default: null }) recordType!: string | null;
  /** The folder under UPLOADS_DIR: the record's id when attached, else the upload's own id. */
  @Prop({ type: String, required: true }) folder!: string;
  /** The client's file name, sanitized: a label only. */
  @Prop({ type: String, required: true }) name!: string;
  /** Detected from the bytes (sniff.ts), never from the name. */
  @Prop({ type: String, enum: MEDIA_FORMATS, required: true }) format!: MediaFormat;
  @Prop({ type: String, required: true }) mimeType!: string;
  @Prop({ type: String, enum: ['image', 'document'], required: true }) kind!: 'image' | 'document';
  /** Bytes as uploaded. */
  @Prop({ type: Number, required: true }) size!: number;
  @Prop({ type: String, enum: UPLOAD_STATUSES, required: true }) status!: UploadStatus;
  /** Displayed size (after EXIF rotation), known from the header at upload. */
  @Prop({ type: Number, default: null }) width!: number | null;
  @Prop({ type: Number, default: null }) height!: number | null;
  /** What is on disk and may be served; an image gets its variants when processing is done. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) variants!: Partial<
    Record<VariantName, StoredVariant>
  >;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) failure!: UploadFailure | null;
  /** Why a variant is missing although the upload is ready, e.g. `HEIC_NOT_CONVERTED`. */
  @Prop({ type: String, default: null }) note!: string | null;
  @Prop({ type: String, required: true }) uploadedBy!: string;
}

export type UploadDoc = UploadEntity & BaseDoc & SoftDeleteFields & { organizationId: string };

export const UploadSchema = SchemaFactory.createForClass(UploadEntity);
UploadSchema.plugin(tenantScopedPlugin);
UploadSchema.plugin(softDeletePlugin);
// GET /uploads?recordId= (newest first) and the trash cascade (a record's uploads)
UploadSchema.index({ organizationId: 1, recordId: 1, createdAt: -1, _id: -1 });
// GET /uploads without recordId
UploadSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
