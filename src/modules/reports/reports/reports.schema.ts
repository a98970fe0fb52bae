import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

export const REPORT_FORMATS = ['pdf', 'xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_STATUSES = ['queued', 'running', 'done', 'failed', 'expired'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_ORIGINS = ['request', 'monthly-mail'] as const;

/**
 * A report asked for (or made for the monthly mail) and its file. Not trashed: the file expires (`expiresAt`) and a
 * cleanup job removes it (FerretDB has no TTL index); the record stays, `expired`, as a note of what was made.
 */
@Schema({ collection: 'reports', timestamps: true, versionKey: false, minimize: false })
export class ReportEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, enum: ['monthly', 'yearly'], required: true }) kind!: 'monthly' | 'yearly';
  /** `YYYY-MM` (monthly) or `YYYY` (yearly): the period reported on. */
  @Prop({ type: String, required: true }) period!: string;
  @Prop({ type: String, enum: REPORT_FORMATS, required: true }) format!: ReportFormat;
  @Prop({ type: String, enum: ['sv', 'en'], required: true }) locale!: 'sv' | 'en';
  @Prop({ type: [String], default: [] }) categoryIds!: string[];
  @Prop({ type: [String], default: [] }) accounts!: string[];
  @Prop({ type: String, enum: REPORT_STATUSES, required: true }) status!: ReportStatus;
  @Prop({ type: Number, default: 0 }) progressDone!: number;
  @Prop({ type: Number, default: 0 }) progressTotal!: number;
  /** Storage key of the file once done; null before and after expiry. */
  @Prop({ type: String, default: null }) fileKey!: string | null;
  @Prop({ type: Number, default: null }) size!: number | null;
  @Prop({ type: Date, default: null }) completedAt!: Date | null;
  /** When the file is removed (set when done). */
  @Prop({ type: Date, default: null }) expiresAt!: Date | null;
  /** A fixed, safe code when failed (`REPORT_FAILED_INTERNAL`); the error itself is only logged. */
  @Prop({ type: String, default: null }) error!: string | null;
  @Prop({ type: String, enum: REPORT_ORIGINS, required: true }) origin!: (typeof REPORT_ORIGINS)[number];
  @Prop({ type: String, default: null }) requestedBy!: string | null;
}
export type ReportDoc = ReportEntity & BaseDoc & { organizationId: string };
export const ReportSchema = SchemaFactory.createForClass(ReportEntity);
ReportSchema.plugin(tenantScopedPlugin);
// GET /reports: the organization's reports, newest first.
ReportSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
// The cleanup scan: files due to expire, across organizations (status then expiresAt).
ReportSchema.index({ status: 1, expiresAt: 1 });
