import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import {
  ANOMALY_KINDS,
  ANOMALY_SEVERITIES,
  type AnomalyKind,
  type AnomalySeverity,
} from './anomalies.detect';

/** `open` until a person says otherwise: `dismissed` (seen, nothing to do) or `normal` (raises the bar). */
export const ANOMALY_STATUSES = ['open', 'dismissed', 'normal'] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];

/** One detected anomaly, stored once per `key` (kind + the records it is about): re-runs add nothing twice. */
@Schema({ collection: 'ai_anomalies', timestamps: true, versionKey: false })
export class AiAnomalyEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: String, enum: ANOMALY_KINDS, required: true }) kind!: AnomalyKind;
  @Prop({ type: String, enum: ANOMALY_SEVERITIES, required: true }) severity!: AnomalySeverity;
  @Prop({ type: String, enum: ANOMALY_STATUSES, required: true, default: 'open' }) status!: AnomalyStatus;
  /** Calendar date the anomaly is about (its transaction's). */
  @Prop({ type: String, required: true }) date!: string;
  /** `YYYY-MM` of `date`: the period filter. */
  @Prop({ type: String, required: true }) period!: string;
  /** Öre. */
  @Prop({ type: Number, required: true }) amount!: number;
  @Prop({ type: Number, default: null }) expected!: number | null;
  /** The merchant key or category id the "this is normal" feedback applies to. */
  @Prop({ type: String, required: true }) subject!: string;
  @Prop({ type: String, default: null }) supplierId!: string | null;
  @Prop({ type: String, default: null }) categoryId!: string | null;
  @Prop({ type: String, default: null }) contractId!: string | null;
  @Prop({ type: String, default: null }) billId!: string | null;
  @Prop({ type: [String], default: [] }) transactionIds!: string[];
  @Prop({ type: String, required: true }) reasonSv!: string;
  @Prop({ type: String, required: true }) reasonEn!: string;
  /** Who dismissed it or marked it normal, and when. */
  @Prop({ type: String, default: null }) resolvedBy!: string | null;
  @Prop({ type: Date, default: null }) resolvedAt!: Date | null;
}
export type AiAnomalyDoc = AiAnomalyEntity & BaseDoc & { organizationId: string };
export const AiAnomalySchema = SchemaFactory.createForClass(AiAnomalyEntity);
AiAnomalySchema.plugin(tenantScopedPlugin);
// One anomaly per key and organization (idempotent detection); also the existing keys a scan skips.
AiAnomalySchema.index({ organizationId: 1, key: 1 }, { unique: true });
// GET /ai/anomalies: newest first (keyset on createdAt, _id).
AiAnomalySchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
// The "this is normal" rules a scan applies (status = normal).
AiAnomalySchema.index({ organizationId: 1, status: 1 });
