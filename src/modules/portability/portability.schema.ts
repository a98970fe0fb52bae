import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { tenantScopedPlugin } from '../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../infrastructure/mongo/repositories';

export const PORTABILITY_KINDS = ['export', 'import'] as const;
export type PortabilityKind = (typeof PORTABILITY_KINDS)[number];
/**
 * export: queued → running → done (→ expired after 7 days) | failed.
 * import: ready (dry run done, archive kept) → queued → running → done | failed.
 */
export const PORTABILITY_STATUSES = ['ready', 'queued', 'running', 'done', 'failed', 'expired'] as const;
export type PortabilityStatus = (typeof PORTABILITY_STATUSES)[number];

/** An export or an import of the organization's data and its archive in the file storage. */
@Schema({ collection: 'portability_jobs', timestamps: true, versionKey: false, minimize: false })
export class PortabilityJobEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, enum: PORTABILITY_KINDS, required: true }) kind!: PortabilityKind;
  @Prop({ type: String, enum: PORTABILITY_STATUSES, required: true }) status!: PortabilityStatus;
  @Prop({ type: Number, default: 0 }) progressDone!: number;
  @Prop({ type: Number, default: 0 }) progressTotal!: number;
  /** Storage key of the archive (the export made, or the import uploaded); null once removed. */
  @Prop({ type: String, default: null }) fileKey!: string | null;
  @Prop({ type: Number, default: null }) size!: number | null;
  @Prop({ type: String, default: null }) sha256!: string | null;
  /** Import: the dry run's outcome (what would be created per type, conflicts); export: the counts written. */
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) plan!: Record<string, unknown> | null;
  /** Import: the exporting organization's id (the id map is per source organization). */
  @Prop({ type: String, default: null }) sourceOrganizationId!: string | null;
  @Prop({ type: Date, default: null }) completedAt!: Date | null;
  /** When the archive is removed. */
  @Prop({ type: Date, default: null }) expiresAt!: Date | null;
  /** A fixed code when failed; the error itself is only logged. */
  @Prop({ type: String, default: null }) error!: string | null;
  @Prop({ type: String, required: true }) requestedBy!: string;
}
export type PortabilityJobDoc = PortabilityJobEntity & BaseDoc & { organizationId: string };
export const PortabilityJobSchema = SchemaFactory.createForClass(PortabilityJobEntity);
PortabilityJobSchema.plugin(tenantScopedPlugin);
// GET /export/:id and /import/:id go by _id; the cleanup scan finds expired archives across organizations.
PortabilityJobSchema.index({ status: 1, expiresAt: 1 });

/**
 * Source id → new id, per target organization and source organization: what makes importing the same archive twice
 * create nothing the second time. `_id` is `<organizationId>|<sourceOrganizationId>|<sourceId>` (unique by
 * construction, and a lookup is an `_id` equality).
 */
@Schema({ collection: 'portability_id_map', timestamps: true, versionKey: false })
export class PortabilityIdMapEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) sourceOrganizationId!: string;
  @Prop({ type: String, required: true }) sourceId!: string;
  @Prop({ type: String, required: true }) targetId!: string;
  @Prop({ type: String, required: true }) type!: string;
  /** The import that created the mapping (its apply may be repeated; other imports skip the record). */
  @Prop({ type: String, required: true }) importId!: string;
  /** `created`, or `reused` when an existing record with the same unique value was taken. */
  @Prop({ type: String, required: true }) outcome!: 'created' | 'reused';
}
export type PortabilityIdMapDoc = PortabilityIdMapEntity & BaseDoc & { organizationId: string };
export const PortabilityIdMapSchema = SchemaFactory.createForClass(PortabilityIdMapEntity);
PortabilityIdMapSchema.plugin(tenantScopedPlugin);
// The dry run and the apply read the whole map of one source organization.
PortabilityIdMapSchema.index({ organizationId: 1, sourceOrganizationId: 1 });
