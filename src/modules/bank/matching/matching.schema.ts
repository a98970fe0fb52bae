import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { CandidateType, MatchSignals } from './types';

/**
 * Matches of bank lines. Tenant data: `tenantScopedPlugin` adds a required `organizationId` and refuses unscoped
 * queries; unique indexes are compound with it. Each index names the query it serves.
 */

type Tenant = { organizationId: string };

export const MATCH_STATES = ['pending', 'active', 'undoing', 'undone'] as const;
export type MatchState = (typeof MATCH_STATES)[number];

/**
 * One approval (manual or automatic) of a bank line, and its undo. Written in steps without transactions (see
 * matching/booking.service.ts); `state` and the step fields make a retry finish what a crash left.
 */
@Schema({ collection: 'bank_matches', timestamps: true, versionKey: false, minimize: false })
export class BankMatchEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) lineId!: string;
  /** `<lineId>#<generation>`: one match per line generation. */
  @Prop({ type: String, required: true }) lineKey!: string;
  /** `bill:<id>` / `transaction:<id>` / `line:<lineKey>` while pending or active; `released:<matchId>` once undone. */
  @Prop({ type: String, required: true }) claimKey!: string;
  @Prop({ type: String, enum: ['bill', 'transaction'], required: true }) candidateType!: CandidateType;
  /** The bill or transaction; for `create`, set once the transaction exists. */
  @Prop({ type: String, default: null }) candidateId!: string | null;
  /**
   * Approve with `create`: the transaction is made from the line; with `contract`, it is recorded as the payment of
   * that contract's scheduled day (docs/bank.md "Contract payments"). Matches before issue 12 have no `contract`.
   */
  @Prop({ type: Object, default: null }) create!: {
    categoryId: string;
    supplierId: string | null;
    contract?: { id: string; date: string } | null;
  } | null;
  /**
   * Step marker of the contract payment (with `create.contract`): `recorded` once the contracts module has it,
   * `refused` when it could not be recorded at booking time (the booking stands; see the audit entry), `removed`
   * by the undo. Null without a contract.
   */
  @Prop({ type: String, default: null }) contractPayment?: 'recorded' | 'refused' | 'removed' | null;
  /** Fixed when the match is claimed, so a retried step books exactly what was approved. */
  @Prop({ type: String, required: true }) label!: string;
  @Prop({ type: String, required: true }) voucherText!: string;
  @Prop({ type: String, default: null }) categoryId!: string | null;
  @Prop({ type: String, default: null }) supplierId!: string | null;
  @Prop({ type: String, enum: MATCH_STATES, required: true }) state!: MatchState;
  /** Step markers: the economy side (bill paid / transaction linked or created) is done. */
  @Prop({ type: Boolean, default: false }) itemDone!: boolean;
  @Prop({ type: String, default: null }) voucherId!: string | null;
  @Prop({ type: String, default: null }) correctionVoucherId!: string | null;
  @Prop({ type: Number, default: null }) confidence!: number | null;
  @Prop({ type: Object, default: null }) why!: { sv: string; en: string } | null;
  @Prop({ type: Object, default: null }) signals!: MatchSignals | null;
  @Prop({ type: String, default: null }) scoreVersion!: string | null;
  @Prop({ type: String, required: true }) counterpartyKey!: string;
  @Prop({ type: Boolean, default: false }) automatic!: boolean;
  @Prop({ type: String, default: null }) policyId!: string | null;
  /** Who approved (null for automatic bookings: `policyId` names the policy an admin enabled). */
  @Prop({ type: String, default: null }) approvedBy!: string | null;
  @Prop({ type: Date, default: null }) approvedAt!: Date | null;
  @Prop({ type: String, default: null }) undoneBy!: string | null;
  @Prop({ type: Date, default: null }) undoneAt!: Date | null;
}
export type BankMatchDoc = BankMatchEntity & BaseDoc & Tenant;
export const BankMatchSchema = SchemaFactory.createForClass(BankMatchEntity);
BankMatchSchema.plugin(tenantScopedPlugin);
// Approve: one match per line generation — two concurrent approvals of a line cannot both start.
BankMatchSchema.index({ organizationId: 1, lineKey: 1 }, { unique: true });
// Approve: one live match per bill/transaction — two lines cannot both settle one bill.
BankMatchSchema.index({ organizationId: 1, claimKey: 1 }, { unique: true });
// A line's match history.
BankMatchSchema.index({ organizationId: 1, lineId: 1 });

/**
 * The matching generation of an organization (`_id` = organization id): an opaque token replaced (never
 * incremented — FerretDB can lose concurrent `$inc`s, a fresh token cannot be lost) whenever something matching
 * reads changes (bills, transactions, suppliers, counterparty history). A line's stored suggestions are current
 * while `bank_lines.suggestionsGeneration` equals it; see docs/bank.md "Stored suggestions".
 */
@Schema({ collection: 'bank_matching_state', timestamps: true, versionKey: false })
export class MatchingStateEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) generation!: string;
  /** What changed last (`bill`, `transaction`, `supplier`, `policy`, `line`): for people reading the record. */
  @Prop({ type: String, default: null }) reason!: string | null;
}
export type MatchingStateDoc = MatchingStateEntity & BaseDoc & Tenant;
export const MatchingStateSchema = SchemaFactory.createForClass(MatchingStateEntity);
MatchingStateSchema.plugin(tenantScopedPlugin);
// Only `_id` (= organization id) lookups: no secondary index.
