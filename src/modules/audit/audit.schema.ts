import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { appendOnlyPlugin, declareCrossTenant } from '../../infrastructure/mongo/plugins';
import { AUDIT_ACTIONS, type AuditAction } from './audit-action';
import type { AuditObject } from './audit.sanitize';

export const AUDIT_COLLECTION = 'audit_entries';
export const AUDIT_ENTRY_MODEL = 'AuditEntry';

/** Changed fields only, secrets stripped (see `sanitizeAuditObject`). */
export interface AuditChanges {
  before: AuditObject;
  after: AuditObject;
}

/**
 * One audit entry, as stored and as read back (lean). Append-only: written once, never updated or deleted.
 * Entries form one hash chain per organization (`chain` = organizationId) plus one chain `platform` for events
 * outside any organization.
 *
 * Not tenant-scoped through `tenantScopedPlugin`: platform entries have no organization. The only tenant read
 * (`AuditRepository.page`) names its organization explicitly. `minimize: false` keeps empty objects inside
 * `changes`/`metadata` as written, so what is read back hashes the same as what was hashed.
 */
@Schema({ collection: AUDIT_COLLECTION, versionKey: false, minimize: false, timestamps: false, id: false })
export class AuditEntryEntity {
  /** A global id. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** The organization id, or `platform`. */
  @Prop({ type: String, required: true })
  chain!: string;

  /** 1, 2, 3… within the chain. */
  @Prop({ type: Number, required: true, min: 1 })
  seq!: number;

  @Prop({ type: String, default: null })
  organizationId!: string | null;

  @Prop({ type: String, default: null })
  actorId!: string | null;

  @Prop({ type: String, required: true, enum: AUDIT_ACTIONS })
  action!: AuditAction;

  @Prop({ type: String, default: null })
  targetType!: string | null;

  @Prop({ type: String, default: null })
  targetId!: string | null;

  @Prop({ type: Object, default: null })
  changes!: AuditChanges | null;

  @Prop({ type: Object, default: null })
  metadata!: AuditObject | null;

  @Prop({ type: String, default: null })
  requestId!: string | null;

  @Prop({ type: String, default: null })
  ip!: string | null;

  @Prop({ type: String, default: null })
  userAgent!: string | null;

  @Prop({ type: Date, required: true })
  at!: Date;

  /** = at; the shared cursor pagination orders on (createdAt, _id). */
  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: String, required: true })
  prevHash!: string;

  @Prop({ type: String, required: true })
  hash!: string;
}

export type AuditEntry = AuditEntryEntity;

export class AuditAppendOnlyError extends Error {
  constructor(op: string) {
    super(`audit_entries is append-only: ${op} is not allowed`);
  }
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntryEntity);
declareCrossTenant(
  AuditEntrySchema,
  'platform entries have no organization; AuditRepository names the chain in every read',
);

// append (the chain's last entry), findLast, verify (a chain by seq). Unique: two writers that read the same last
// entry cannot both insert seq+1 — the loser gets 11000 and retries, so the chain stays linear without transactions.
AuditEntrySchema.index({ chain: 1, seq: 1 }, { unique: true });
// GET /audit: one organization's entries newest first, cursor on (createdAt, _id); also serves from/to and action.
AuditEntrySchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
// GET /audit?actorId=: what one person did in the organization, newest first.
AuditEntrySchema.index({ organizationId: 1, actorId: 1, createdAt: -1, _id: -1 });
// GET /audit?targetId= (&targetType=): the history of one record, newest first.
AuditEntrySchema.index({ organizationId: 1, targetId: 1, createdAt: -1, _id: -1 });

// Append-only, enforced at the model too: no update or delete goes through Mongoose. (A future retention job —
// BFL keeps bookkeeping trails 7 years — would delete whole chains by date, outside this model, and say so.)
AuditEntrySchema.plugin(appendOnlyPlugin, (op: string) => new AuditAppendOnlyError(op));

export const AUDIT_HEAD_MODEL = 'AuditHead';

/**
 * The last known entry of a chain (`_id` = chain): where the next append starts. Only a hint — read by `_id`, which
 * every backend serves from its primary key (FerretDB v1 on SQLite pushes down nothing else, so finding the last
 * entry by `seq` scans the whole log). The unique `{chain, seq}` index still decides: a head that is behind makes
 * an append fall back to the exact query.
 */
@Schema({ collection: 'audit_heads', timestamps: false, versionKey: false })
export class AuditHeadEntity {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: String, required: true })
  hash!: string;
}
export type AuditHead = AuditHeadEntity;
export const AuditHeadSchema = SchemaFactory.createForClass(AuditHeadEntity);
