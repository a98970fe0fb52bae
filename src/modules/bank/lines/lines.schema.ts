import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { CandidateType, MatchSignals } from '../matching/types';
import { LINE_STATUSES, type LineStatus } from './line-status';

/**
 * Bank lines. Tenant data: `tenantScopedPlugin` adds a required `organizationId` and refuses unscoped queries;
 * unique indexes are compound with it. Each index names the query it serves.
 */

type Tenant = { organizationId: string };

export { LINE_STATUSES, type LineStatus };

/** A suggestion as stored on the line at its last matching (GET …/suggestions serves these). */
export interface StoredSuggestion {
  candidateType: CandidateType;
  candidateId: string;
  label: string;
  confidence: number;
  why: { sv: string; en: string };
  signals: MatchSignals;
  counterpartyKey: string;
  scoreVersion: string;
}

@Schema({ collection: 'bank_lines', timestamps: true, versionKey: false, minimize: false })
export class BankLineEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) bankAccountId!: string;
  @Prop({ type: String, required: true }) importId!: string;
  /** CSV line number / camt entry position in the import's file. */
  @Prop({ type: Number, required: true }) lineNo!: number;
  @Prop({ type: String, required: true }) bookingDate!: string;
  @Prop({ type: String, default: null }) valueDate!: string | null;
  @Prop({ type: String, required: true }) period!: string;
  /** Signed öre: money in > 0, out < 0. */
  @Prop({ type: Number, required: true }) amount!: number;
  @Prop({ type: String, required: true }) currency!: string;
  @Prop({ type: String, default: '' }) text!: string;
  @Prop({ type: String, default: null }) reference!: string | null;
  @Prop({ type: String, default: null }) counterpartyName!: string | null;
  @Prop({ type: String, default: null }) bankReference!: string | null;
  @Prop({ type: String, default: null }) endToEndId!: string | null;
  @Prop({ type: Number, default: null }) balance!: number | null;
  /** The bank's transaction code (camt `BkTxCd`, e.g. `PMNT-CCRD-POSD`); null/absent: none (CSV, older lines). */
  @Prop({ type: String, default: null }) transactionCode?: string | null;
  /** Lower-cased text + counterparty + reference, for `q=` (RE2 regex on one field). */
  @Prop({ type: String, default: '' }) searchText!: string;
  /** See imports/dedup.ts. */
  @Prop({ type: String, required: true }) dedupKey!: string;
  @Prop({ type: String, enum: LINE_STATUSES, required: true }) status!: LineStatus;
  /** Grows by one with every undo: a match claims (line, generation) once. */
  @Prop({ type: Number, default: 0 }) generation!: number;
  @Prop({ type: [Object], default: [] }) suggestions!: StoredSuggestion[];
  @Prop({ type: Date, default: null }) suggestedAt!: Date | null;
  /**
   * The organization's matching generation the stored suggestions were computed at (matching.schema.ts
   * `MatchingStateEntity`); null: never computed, or cleared (undo, unignore). Current while it equals the
   * organization's generation.
   */
  @Prop({ type: String, default: null }) suggestionsGeneration!: string | null;
  @Prop({ type: String, default: null }) matchId!: string | null;
  @Prop({ type: String, default: null }) voucherId!: string | null;
  @Prop({ type: Object, default: null }) ignored!: { reason: string; by: string; at: Date } | null;
}
export type BankLineDoc = BankLineEntity & BaseDoc & Tenant;
export const BankLineSchema = SchemaFactory.createForClass(BankLineEntity);
BankLineSchema.plugin(tenantScopedPlugin);
// Import dedup: a line is inserted once per organization (11000 → counted as a duplicate).
BankLineSchema.index({ organizationId: 1, dedupKey: 1 }, { unique: true });
// GET /bank/lines?status=: newest booking date first, keyset on (bookingDate, _id).
BankLineSchema.index({ organizationId: 1, status: 1, bookingDate: -1, _id: -1 });
// GET /bank/lines?bankAccountId=: same order per account.
BankLineSchema.index({ organizationId: 1, bankAccountId: 1, bookingDate: -1, _id: -1 });
// GET /bank/lines without filters.
BankLineSchema.index({ organizationId: 1, bookingDate: -1, _id: -1 });
// The import job: the lines of one import (counting its own inserts on a retry, matching them).
BankLineSchema.index({ organizationId: 1, importId: 1 });
