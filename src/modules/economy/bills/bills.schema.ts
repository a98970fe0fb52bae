import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

export const BILL_STATUSES = ['open', 'paid'] as const;
export type BillStatus = (typeof BILL_STATUSES)[number];

@Schema({ collection: 'bills', timestamps: true, versionKey: false })
export class BillEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) supplierId!: string;
  @Prop({ type: String, default: null }) invoiceNumber!: string | null;
  /**
   * `<supplierId>|<invoiceNumber>`, or the bill's own id when it has no invoice number: backs the duplicate rule
   * with a unique index (FerretDB has no partial indexes, so bills without a number get a key of their own).
   */
  @Prop({ type: String, required: true }) invoiceKey!: string;
  /** OCR digits (mod-10 checked; with the supplier's length digit when it uses one). */
  @Prop({ type: String, default: null }) ocr!: string | null;
  /** Öre, > 0. */
  @Prop({ type: Number, required: true }) amount!: number;
  @Prop({ type: String, required: true, default: 'SEK' }) currency!: string;
  /** Calendar date `YYYY-MM-DD`. */
  @Prop({ type: String, required: true }) dueDate!: string;
  /** `YYYY-MM` of `dueDate`. */
  @Prop({ type: String, required: true }) period!: string;
  @Prop({ type: String, enum: BILL_STATUSES, required: true, default: 'open' }) status!: BillStatus;
  /** Calendar date the bill was paid; null while open. */
  @Prop({ type: String, default: null }) paidAt!: string | null;
  /** The bank line that paid it (set by bank matching); null otherwise. */
  @Prop({ type: String, default: null }) bankLineId!: string | null;
  /** Category the payment is booked on; defaults to the supplier's. */
  @Prop({ type: String, default: null }) categoryId!: string | null;
  @Prop({ type: String, default: null }) description!: string | null;
  @Prop({ type: String, default: null }) createdBy!: string | null;
}
export const billInvoiceKey = (id: string, supplierId: string, invoiceNumber: string | null): string =>
  invoiceNumber ? `${supplierId}|${invoiceNumber}` : id;

export type BillDoc = BillEntity & BaseDoc & SoftDeleteFields & { organizationId: string };
export const BillSchema = SchemaFactory.createForClass(BillEntity);
BillSchema.plugin(tenantScopedPlugin);
BillSchema.plugin(softDeletePlugin);
// GET /bills?status= ordered by due date (keyset on dueDate,_id); matching's due-date window over open bills.
BillSchema.index({ organizationId: 1, status: 1, dueDate: 1, _id: 1 });
// GET /bills without a status filter, ordered by due date.
BillSchema.index({ organizationId: 1, dueDate: 1, _id: 1 });
// Matching: open bills in an amount bucket.
BillSchema.index({ organizationId: 1, status: 1, amount: 1 });
// Matching: open bills by OCR reference.
BillSchema.index({ organizationId: 1, status: 1, ocr: 1 });
// Duplicate check on create (supplier + invoice number) and GET /bills?supplierId=.
BillSchema.index({ organizationId: 1, supplierId: 1, invoiceNumber: 1 });
// One live bill per supplier + invoice number, also when two requests race (deleted ones differ in deletedAt).
BillSchema.index({ organizationId: 1, invoiceKey: 1, deletedAt: 1 }, { unique: true });
// Category delete counts and moves.
BillSchema.index({ organizationId: 1, categoryId: 1 });
