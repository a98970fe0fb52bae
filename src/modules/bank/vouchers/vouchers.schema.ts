import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { appendOnlyPlugin, tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';
import type { BillBooking, VoucherRow } from './booking-templates';

type Tenant = { organizationId: string };

export interface VoucherSource {
  bankLineId: string | null;
  bankAccountId: string | null;
  billId: string | null;
  transactionId: string | null;
  /** The bank statement import the line came from (its file is kept with it). */
  importId: string | null;
  matchId: string | null;
}

export interface VoucherPolicy {
  id: string;
  counterpartyKey: string;
  autoEnabledBy: string | null;
  autoEnabledAt: Date | null;
}

/**
 * A verifikation. Written once, never changed or deleted (BFL 5 kap, 7 kap): every update and delete is refused
 * at the model (below) and the API answers PATCH/DELETE with 409 BOOKKEEPING_RECORD_IMMUTABLE. A correction is a
 * new voucher with `corrects` = the original's id; the original's `correctedBy` is derived from the link record
 * (voucher_corrections), never written into it.
 */
@Schema({ collection: 'vouchers', timestamps: false, versionKey: false, minimize: false })
export class VoucherEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) series!: string;
  /** The fiscal year, named by the calendar year it starts in. */
  @Prop({ type: Number, required: true }) fiscalYear!: number;
  /** 1, 2, 3 … per (organization, series, fiscal year), no gaps, no repeats. */
  @Prop({ type: Number, required: true }) number!: number;
  /** The accounting date (the bank line's booking date; the correction's own date). */
  @Prop({ type: String, required: true }) date!: string;
  @Prop({ type: String, required: true }) text!: string;
  @Prop({ type: [Object], required: true }) rows!: VoucherRow[];
  @Prop({ type: Object, required: true }) source!: VoucherSource;
  /** `match:<matchId>` / `undo:<matchId>`: a retried step finds its voucher instead of writing a second one. */
  @Prop({ type: String, required: true }) sourceKey!: string;
  /** User id, or `system` for automatic bookings. */
  @Prop({ type: String, required: true }) createdBy!: string;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: String, default: null }) approvedBy!: string | null;
  @Prop({ type: Date, default: null }) approvedAt!: Date | null;
  @Prop({ type: Boolean, required: true }) automatic!: boolean;
  @Prop({ type: String, default: null }) corrects!: string | null;
  @Prop({ type: Object, default: null }) policy!: VoucherPolicy | null;
  @Prop({ type: String, default: null }) scoreVersion!: string | null;
  @Prop({ type: Number, default: null }) confidence!: number | null;
}
export type VoucherDoc = VoucherEntity & Tenant;
export const VoucherSchema = SchemaFactory.createForClass(VoucherEntity);
VoucherSchema.plugin(tenantScopedPlugin);
// Numbering: the unique key a new voucher claims (11000 → take the next number); also the list/export order
// (GET /vouchers?fiscalYear=, SIE export) and "the last number" (sort number desc, limit 1).
VoucherSchema.index({ organizationId: 1, fiscalYear: 1, series: 1, number: 1 }, { unique: true });
// Idempotent booking steps: one voucher per source step.
VoucherSchema.index({ organizationId: 1, sourceKey: 1 }, { unique: true });

export class VoucherImmutableError extends Error {
  constructor(op: string) {
    super(`vouchers are never changed or deleted: ${op} is not allowed`);
  }
}
VoucherSchema.plugin(appendOnlyPlugin, (op: string) => new VoucherImmutableError(op));

/**
 * "Voucher X is corrected by voucher Y": `_id` = the original voucher's id, so at most one correction per voucher,
 * written once (insert-only, like vouchers).
 */
@Schema({ collection: 'voucher_corrections', timestamps: false, versionKey: false })
export class VoucherCorrectionEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) correctionId!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}
export type VoucherCorrectionDoc = VoucherCorrectionEntity & Tenant;
export const VoucherCorrectionSchema = SchemaFactory.createForClass(VoucherCorrectionEntity);
VoucherCorrectionSchema.plugin(tenantScopedPlugin);
VoucherCorrectionSchema.plugin(appendOnlyPlugin, (op: string) => new VoucherImmutableError(op));

export type OrgNumberKind = 'organisation' | 'personal';

/** Bookkeeping settings, one document per organization (`_id` = organization id). */
@Schema({ collection: 'bookkeeping_settings', timestamps: true, versionKey: false })
export class BookkeepingSettingsEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /**
   * Legacy: the number in plain text, as stored before it was encrypted. Moved to `orgNumberEnc` (and set to
   * null) the first time the settings are read (vouchers.service.ts `settings()`); never written otherwise.
   */
  @Prop({ type: String, default: null }) orgNumber!: string | null;
  /**
   * Organisationsnummer (or a sole trader's personnummer) for SIE `#ORGNR`, AES-256-GCM (FieldCrypto) bound to
   * `bookkeeping_settings.<organizationId>.orgNumber`.
   */
  @Prop({ type: String, default: null }) orgNumberEnc!: string | null;
  /** Which kind of number `orgNumberEnc` holds: a personnummer is masked for non-admins and in audit diffs. */
  @Prop({ type: String, enum: ['organisation', 'personal', null], default: null })
  orgNumberKind!: OrgNumberKind | null;
  @Prop({ type: Number, default: 1, min: 1, max: 12 }) fiscalYearStartMonth!: number;
  /** Voucher series of bank bookings. */
  @Prop({ type: String, default: 'B' }) series!: string;
  @Prop({ type: String, enum: ['supplier_debt', 'expense'], default: 'supplier_debt' })
  billBooking!: BillBooking;
  /** Approvals needed (with no reject since) before automatic booking may be enabled for a counterparty. */
  @Prop({ type: Number, default: 3, min: 1, max: 100 }) autoThreshold!: number;
  @Prop({ type: String, default: null }) updatedBy!: string | null;
}
export type BookkeepingSettingsDoc = BookkeepingSettingsEntity & {
  createdAt: Date;
  updatedAt: Date;
} & Tenant;
export const BookkeepingSettingsSchema = SchemaFactory.createForClass(BookkeepingSettingsEntity);
BookkeepingSettingsSchema.plugin(tenantScopedPlugin);
