import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../infrastructure/mongo/repositories';
import type { CsvMapping } from './imports/csv.parser';
import type { RejectedRow } from './imports/statement';
import type { CandidateType, MatchSignals } from './matching/types';
import type { PolicyEventKind } from './policies/policy.rules';

/**
 * Every collection of the bank module except vouchers (vouchers/vouchers.schema.ts). All tenant data:
 * `tenantScopedPlugin` adds a required `organizationId` and refuses unscoped queries; unique indexes are compound
 * with it. Each index names the query it serves.
 */

type Tenant = { organizationId: string };

// ---------- bank accounts ----------

@Schema({ collection: 'bank_accounts', timestamps: true, versionKey: false })
export class BankAccountEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  @Prop({ type: String, default: '' }) bank!: string;
  /** AES-256-GCM (FieldCrypto), aad `bank_accounts.<id>.clearingNumber`. */
  @Prop({ type: String, required: true }) clearingNumberEnc!: string;
  /** AES-256-GCM (FieldCrypto), aad `bank_accounts.<id>.accountNumber`. */
  @Prop({ type: String, required: true }) accountNumberEnc!: string;
  @Prop({ type: String, default: 'SEK' }) currency!: string;
  /** BAS account the bank account is booked on (1930 by default). */
  @Prop({ type: String, default: '1930' }) ledgerAccount!: string;
  @Prop({ type: String, required: true }) createdBy!: string;
}
export type BankAccountDoc = BankAccountEntity & BaseDoc & SoftDeleteFields & Tenant;
export const BankAccountSchema = SchemaFactory.createForClass(BankAccountEntity);
BankAccountSchema.plugin(tenantScopedPlugin);
BankAccountSchema.plugin(softDeletePlugin);
// GET /bank/accounts: the organization's accounts, newest first.
BankAccountSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });

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

export const IMPORT_STATUSES = ['queued', 'processing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_FORMATS = ['camt053', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

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
  @Prop({ type: String, default: null }) error!: string | null;
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

// ---------- bank lines ----------

export const LINE_STATUSES = ['unmatched', 'suggested', 'matched', 'rejected', 'ignored'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** A suggestion as cached on the line at its last matching (GET …/suggestions recomputes). */
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
  /** Lower-cased text + counterparty + reference, for `q=` (RE2 regex on one field). */
  @Prop({ type: String, default: '' }) searchText!: string;
  /** See imports/dedup.ts. */
  @Prop({ type: String, required: true }) dedupKey!: string;
  @Prop({ type: String, enum: LINE_STATUSES, required: true }) status!: LineStatus;
  /** Grows by one with every undo: a match claims (line, generation) once. */
  @Prop({ type: Number, default: 0 }) generation!: number;
  @Prop({ type: [Object], default: [] }) suggestions!: StoredSuggestion[];
  @Prop({ type: Date, default: null }) suggestedAt!: Date | null;
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

// ---------- matches ----------

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
  /** Approve with `create`: the transaction is made from the line. */
  @Prop({ type: Object, default: null }) create!: { categoryId: string; supplierId: string | null } | null;
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

// ---------- policies ----------

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
