import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { PolicyEventKind } from './policy.rules';

/**
 * Counterparty policies and their events. All tenant data: `tenantScopedPlugin` adds a required `organizationId`
 * and refuses unscoped queries; unique indexes are compound with it. Each index names the query it serves.
 */

type Tenant = { organizationId: string };

@Schema({ collection: 'bank_policies', timestamps: true, versionKey: false })
export class BankPolicyEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** `supplier:<id>` or `name:<normalised bank name>` (matching/engine.ts counterpartyKeyFor). */
  @Prop({ type: String, required: true }) counterpartyKey!: string;
  @Prop({ type: String, required: true }) label!: string;
  @Prop({ type: String, default: null }) supplierId!: string | null;
  @Prop({ type: Boolean, default: false }) autoEnabled!: boolean;
  @Prop({ type: Date, default: null }) autoEnabledAt!: Date | null;
  @Prop({ type: String, default: null }) autoEnabledBy!: string | null;
  @Prop({ type: Date, default: null }) autoDisabledAt!: Date | null;
  @Prop({ type: String, default: null }) autoDisabledReason!: string | null;
}
export type BankPolicyDoc = BankPolicyEntity & BaseDoc & Tenant;
export const BankPolicySchema = SchemaFactory.createForClass(BankPolicyEntity);
BankPolicySchema.plugin(tenantScopedPlugin);
// One policy per counterparty (created on its first event); auto-booking looks it up by key.
BankPolicySchema.index({ organizationId: 1, counterpartyKey: 1 }, { unique: true });
// GET /bank/policies: newest first.
BankPolicySchema.index({ organizationId: 1, createdAt: -1, _id: -1 });

/** Append-only: every approval, rejection, undo and automatic booking, per counterparty. */
@Schema({ collection: 'bank_policy_events', timestamps: false, versionKey: false })
export class PolicyEventEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) counterpartyKey!: string;
  @Prop({ type: String, enum: ['approved', 'rejected', 'undone', 'auto_booked'], required: true })
  kind!: PolicyEventKind;
  /** `<kind>:<matchId>` / `rejected:<lineId>:<candidateId>`: a retried step records its event once. */
  @Prop({ type: String, required: true }) eventKey!: string;
  @Prop({ type: String, required: true }) lineId!: string;
  @Prop({ type: String, default: null }) matchId!: string | null;
  @Prop({ type: String, default: null }) candidateId!: string | null;
  @Prop({ type: String, default: null }) actorId!: string | null;
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ type: Date, required: true }) createdAt!: Date;
}
export type PolicyEventDoc = PolicyEventEntity & Tenant;
export const PolicyEventSchema = SchemaFactory.createForClass(PolicyEventEntity);
PolicyEventSchema.plugin(tenantScopedPlugin);
// A step's event is written once, however often the step is retried.
PolicyEventSchema.index({ organizationId: 1, eventKey: 1 }, { unique: true });
// Policy stats: counts per counterparty and kind ($group), the latest setback (sort at desc).
PolicyEventSchema.index({ organizationId: 1, counterpartyKey: 1, kind: 1, at: -1 });
// Candidates rejected for a line (never suggested again for it).
PolicyEventSchema.index({ organizationId: 1, lineId: 1, kind: 1 });
