import { Inject, Injectable } from '@nestjs/common';
import { addDays, addMonthsToDate, daysBetween, stockholmDate } from '../../../common/dates';
import { notFound, referenced } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import {
  SUPPLIERS,
  TRANSACTIONS,
  UPLOADS,
  type SuppliersForMatching,
  type TransactionsForWarranties,
  type UploadsForWarranties,
} from '../ports';
import { WARRANTIES_RECORD_TYPES } from '../warranties.records';
import { WarrantiesError } from '../warranties.errors';
import { WarrantiesRepository, type WarrantyChange } from './warranties.repository';
import type { WarrantyDoc } from './warranties.schema';

export type WarrantyLength = { count: number; unit: 'months' | 'years' };

export interface WarrantyInput {
  item: string;
  storeId?: string | null;
  storeName?: string | null;
  purchaseDate?: string;
  price?: number | null;
  currency?: string;
  length?: WarrantyLength | null;
  endDate?: string | null;
  /** Take the purchase date, store and price from this transaction. */
  fromTransactionId?: string;
  /** The receipt; its transaction (when the upload is attached to one) gives date, store and price. */
  fromUploadId?: string;
  reminderLeadDays?: number[] | null;
  notes?: string | null;
}

export type WarrantyPatch = Partial<Omit<WarrantyInput, 'fromTransactionId' | 'fromUploadId'>>;

export type WarrantyStatus = 'active' | 'expiring' | 'expired';
/** "Expiring soon": the warranty ends within this many days. */
export const EXPIRING_DAYS = 60;

export interface WarrantyView {
  id: string;
  item: string;
  storeId: string | null;
  storeName: string | null;
  purchaseDate: string;
  price: number | null;
  currency: string;
  lengthMonths: number | null;
  endDate: string;
  transactionId: string | null;
  receiptUploadId: string | null;
  reminderLeadDays: number[] | null;
  notes: string | null;
  status: WarrantyStatus;
  /** Days left including today (0 after the end). */
  daysLeft: number;
  createdAt: Date;
  updatedAt: Date;
}

const AUDITED = [
  'item',
  'storeId',
  'storeName',
  'purchaseDate',
  'price',
  'lengthMonths',
  'endDate',
  'transactionId',
  'receiptUploadId',
];

/** "2 years from purchase": covered through the day before the anniversary (bought 2026-01-15 → 2028-01-14). */
export const endOf = (purchaseDate: string, months: number): string =>
  addDays(addMonthsToDate(purchaseDate, months), -1);

const monthsOf = (length: WarrantyLength): number => (length.unit === 'years' ? 12 : 1) * length.count;

function view(w: WarrantyDoc, today: string): WarrantyView {
  const daysLeft = Math.max(0, daysBetween(today, w.endDate) + 1);
  const status: WarrantyStatus =
    w.endDate < today ? 'expired' : daysLeft <= EXPIRING_DAYS ? 'expiring' : 'active';
  return {
    id: w._id,
    item: w.item,
    storeId: w.storeId,
    storeName: w.storeName,
    purchaseDate: w.purchaseDate,
    price: w.price,
    currency: w.currency,
    lengthMonths: w.lengthMonths,
    endDate: w.endDate,
    transactionId: w.transactionId,
    receiptUploadId: w.receiptUploadId,
    reminderLeadDays: w.reminderLeadDays,
    notes: w.notes,
    status,
    daysLeft,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

@Injectable()
export class WarrantiesService {
  constructor(
    private readonly warranties: WarrantiesRepository,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
    private readonly clock: Clock,
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
    @Inject(TRANSACTIONS) private readonly transactions: TransactionsForWarranties,
    @Inject(UPLOADS) private readonly uploads: UploadsForWarranties,
  ) {}

  private today(): string {
    return stockholmDate(this.clock.now());
  }

  async list(
    status: WarrantyStatus | undefined,
    page: { cursor?: string; limit: number },
  ): Promise<Page<WarrantyView>> {
    const today = this.today();
    const range =
      status === 'expired'
        ? { to: addDays(today, -1) }
        : status === 'expiring'
          ? { from: today, to: addDays(today, EXPIRING_DAYS - 1) }
          : status === 'active'
            ? { from: today }
            : {};
    const result = await this.warranties.list(range, page);
    return { items: result.items.map((w) => view(w, today)), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<WarrantyView> {
    return view(await this.require(id), this.today());
  }

  async create(input: WarrantyInput): Promise<WarrantyView> {
    const source = await this.purchaseOf(input);
    const purchaseDate = input.purchaseDate ?? source.purchaseDate;
    if (!purchaseDate)
      throw new WarrantiesError('INVALID_WARRANTY', 'purchaseDate is missing', { field: 'purchaseDate' });
    const storeId = input.storeId !== undefined ? input.storeId : source.storeId;
    if (storeId) await this.requireStore(storeId);
    const lengthMonths = input.length ? monthsOf(input.length) : null;
    const endDate = this.endDate(purchaseDate, lengthMonths, input.endDate ?? null);
    const created = await this.warranties.add({
      _id: await this.ids.getNextGlobalId(),
      item: input.item,
      storeId: storeId ?? null,
      storeName: input.storeName ?? null,
      purchaseDate,
      price: input.price !== undefined ? input.price : (source.price ?? null),
      currency: input.currency ?? source.currency ?? 'SEK',
      lengthMonths,
      endDate,
      transactionId: source.transactionId ?? null,
      receiptUploadId: input.fromUploadId ?? null,
      reminderLeadDays: input.reminderLeadDays ?? null,
      notes: input.notes ?? null,
    });
    await this.audit.record({
      action: AuditAction.WarrantyCreated,
      targetType: WARRANTIES_RECORD_TYPES.warranty,
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return view(created, this.today());
  }

  async update(id: string, patch: WarrantyPatch): Promise<WarrantyView> {
    const current = await this.require(id);
    if (patch.storeId) await this.requireStore(patch.storeId);
    const { length, ...rest } = patch;
    const change: WarrantyChange = { ...rest, endDate: undefined };
    const purchaseDate = patch.purchaseDate ?? current.purchaseDate;
    // An end date given as such replaces a length; a length (new, or kept with a new purchase date) gives the end.
    if (patch.endDate)
      Object.assign(change, { lengthMonths: null, endDate: this.endDate(purchaseDate, null, patch.endDate) });
    else if (length)
      Object.assign(change, {
        lengthMonths: monthsOf(length),
        endDate: this.endDate(purchaseDate, monthsOf(length), null),
      });
    else if (patch.purchaseDate !== undefined)
      change.endDate = this.endDate(purchaseDate, current.lengthMonths, current.endDate);
    const result = await this.warranties.change(id, change);
    if (!result) throw notFound(WARRANTIES_RECORD_TYPES.warranty);
    await this.audit.record({
      action: AuditAction.WarrantyUpdated,
      targetType: WARRANTIES_RECORD_TYPES.warranty,
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return view(result.after, this.today());
  }

  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    const undo = await this.trash.delete(WARRANTIES_RECORD_TYPES.warranty, id);
    await this.audit.record({
      action: AuditAction.WarrantyDeleted,
      targetType: WARRANTIES_RECORD_TYPES.warranty,
      targetId: id,
      changes: { before: { item: current.item }, after: {} },
    });
    return undo;
  }

  private async require(id: string): Promise<WarrantyDoc> {
    const warranty = await this.warranties.findById(id);
    if (!warranty) throw notFound(WARRANTIES_RECORD_TYPES.warranty);
    return warranty;
  }

  private endDate(purchaseDate: string, lengthMonths: number | null, endDate: string | null): string {
    const end = lengthMonths ? endOf(purchaseDate, lengthMonths) : endDate;
    if (!end || end < purchaseDate)
      throw new WarrantiesError(
        'INVALID_WARRANTY',
        'give a length or an end date on or after the purchase date',
        {
          field: lengthMonths ? 'length' : 'endDate',
        },
      );
    return end;
  }

  private async requireStore(id: string): Promise<void> {
    if (!(await this.suppliers.findForMatching(id)))
      throw new WarrantiesError('INVALID_REFERENCE', 'storeId does not name a supplier', {
        field: 'storeId',
      });
  }

  /** Purchase facts from the transaction (given, or the one the receipt upload is attached to). */
  private async purchaseOf(input: WarrantyInput): Promise<{
    purchaseDate?: string;
    storeId?: string | null;
    price?: number;
    currency?: string;
    transactionId?: string;
  }> {
    let transactionId = input.fromTransactionId;
    let uploadDay: string | undefined;
    if (input.fromUploadId) {
      const upload = await this.reference(() => this.uploads.get(input.fromUploadId!), 'fromUploadId');
      if (upload.recordType === 'transaction' && upload.recordId) transactionId ??= upload.recordId;
      uploadDay = stockholmDate(new Date(upload.createdAt));
    }
    if (!transactionId) return { purchaseDate: uploadDay };
    const t = await this.reference(
      () => this.transactions.get(transactionId),
      input.fromTransactionId ? 'fromTransactionId' : 'fromUploadId',
    );
    return {
      purchaseDate: t.date,
      storeId: t.supplierId,
      price: t.amount,
      currency: t.currency,
      transactionId: t.id,
    };
  }

  /** Another module's record by id; its 404 (missing or another organization's) is a 400 on this field. */
  private reference<T>(read: () => Promise<T>, field: string): Promise<T> {
    return referenced(
      read,
      () => new WarrantiesError('INVALID_REFERENCE', `${field} does not name a record`, { field }),
    );
  }
}
