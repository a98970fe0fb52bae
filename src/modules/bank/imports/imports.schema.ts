import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { CsvMapping } from './csv.parser';
import {
  IMPORT_FORMATS,
  IMPORT_STATUSES,
  type ImportErrorCode,
  type ImportFormat,
  type ImportStatus,
} from './import-status';
import type { RejectedRow } from './statement';

/**
 * CSV profiles, statement imports and their files. All tenant data: `tenantScopedPlugin` adds a required
 * `organizationId` and refuses unscoped queries; unique indexes are compound with it. Each index names the query it
 * serves.
 */

type Tenant = { organizationId: string };

// ---------- CSV profiles ----------

@Schema({ collection: 'bank_csv_profiles', timestamps: true, versionKey: false, minimize: false })
export class CsvProfileEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  /** Lower-cased, trimmed name: the unique key. */
  @Prop({ type: String, required: true }) nameKey!: string;
  @Prop({ type: Object, required: true }) mapping!: CsvMapping;
  @Prop({ type: String, required: true }) createdBy!: string;
}
export type CsvProfileDoc = CsvProfileEntity & BaseDoc & Tenant;
export const CsvProfileSchema = SchemaFactory.createForClass(CsvProfileEntity);
CsvProfileSchema.plugin(tenantScopedPlugin);
// One name per organization (save-as on import, POST /bank/csv-profiles); also GET by name.
CsvProfileSchema.index({ organizationId: 1, nameKey: 1 }, { unique: true });

// ---------- imports ----------

export { IMPORT_FORMATS, IMPORT_STATUSES, type ImportFormat, type ImportStatus };

export interface ImportCounts {
  created: number;
  duplicates: number;
  rejected: number;
  suggested: number;
  autoBooked: number;
}

@Schema({ collection: 'bank_imports', timestamps: true, versionKey: false, minimize: false })
export class BankImportEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) bankAccountId!: string;
  @Prop({ type: String, enum: IMPORT_FORMATS, required: true }) format!: ImportFormat;
  @Prop({ type: String, required: true }) fileName!: string;
  @Prop({ type: Number, required: true }) fileSize!: number;
  @Prop({ type: String, required: true }) sha256!: string;
  @Prop({ type: Object, default: null }) mapping!: CsvMapping | null;
  @Prop({ type: String, default: null }) profileId!: string | null;
  @Prop({ type: String, enum: IMPORT_STATUSES, required: true }) status!: ImportStatus;
  @Prop({ type: Object, required: true }) progress!: { processed: number; total: number };
  @Prop({ type: Object, required: true }) counts!: ImportCounts;
  /** Line numbers and reasons, the first 1000 of each. */
  @Prop({ type: [Object], default: [] }) duplicates!: RejectedRow[];
  @Prop({ type: [Object], default: [] }) rejected!: RejectedRow[];
  @Prop({ type: Boolean, default: false }) detailsTruncated!: boolean;
  @Prop({ type: String, default: null }) encoding!: string | null;
  /** Why it failed, in words safe to show the tenant (English); never a database's or Redis's own message. */
  @Prop({ type: String, default: null }) error!: string | null;
  /** `IMPORT_FILE_UNREADABLE` (the file's fault) or `IMPORT_FAILED_INTERNAL` (ours, details in the log). */
  @Prop({ type: String, default: null }) errorCode!: ImportErrorCode | null;
  /** The same in Swedish and English. */
  @Prop({ type: Object, default: null }) errorText!: { sv: string; en: string } | null;
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: Date, default: null }) startedAt!: Date | null;
  @Prop({ type: Date, default: null }) finishedAt!: Date | null;
}
export type BankImportDoc = BankImportEntity & BaseDoc & Tenant;
export const BankImportSchema = SchemaFactory.createForClass(BankImportEntity);
BankImportSchema.plugin(tenantScopedPlugin);
// GET /bank/imports (?bankAccountId=): newest first.
BankImportSchema.index({ organizationId: 1, bankAccountId: 1, createdAt: -1, _id: -1 });
BankImportSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });

/** The uploaded statement's bytes, one document per import (`_id` = import id), at most IMPORT_MAX_BYTES. */
@Schema({ collection: 'bank_import_files', timestamps: true, versionKey: false })
export class BankImportFileEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Buffer, required: true }) data!: Buffer;
  @Prop({ type: String, default: null }) contentType!: string | null;
}
export type BankImportFileDoc = BankImportFileEntity & BaseDoc & Tenant;
export const BankImportFileSchema = SchemaFactory.createForClass(BankImportFileEntity);
BankImportFileSchema.plugin(tenantScopedPlugin);
