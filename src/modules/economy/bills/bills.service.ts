import { Inject, Injectable, Optional } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { ocrHasLengthDigit } from '../../../common/validation/swedish';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { CategoriesService } from '../categories/categories.service';
import { periodOf, stockholmDate } from '../common/dates';
import {
  type BillForInsights,
  type BillsForInsights,
  ECONOMY_WRITES_LISTENER,
  type BillsForMatching,
  type OpenBillCandidate,
  type EconomyWritesListener,
  type BillsForReports,
} from '../economy.contract';
import { EconomyError } from '../economy.errors';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { ECONOMY_RECORD_TYPES } from '../economy.records';
import type { SupplierDoc } from '../suppliers/suppliers.schema';
import { SuppliersService } from '../suppliers/suppliers.service';
import { BillsRepository, type BillListFilter } from './bills.repository';
import { billInvoiceKey, type BillDoc, type BillStatus } from './bills.schema';
import { notFound } from '../../../common/errors/domain-error';

export interface BillInput {
  supplierId: string;
  invoiceNumber?: string | null;
  /** Digits, mod-10 checked at the edge. */
  ocr?: string | null;
  amount: number;
  currency?: string;
  dueDate: string;
  /** Omitted: the supplier's default category when it is an expense category. */
  categoryId?: string | null;
  description?: string | null;
}

export interface BillPatch extends Partial<BillInput> {
  status?: BillStatus;
  /** With status `paid`; default today (Sweden). */
  paidAt?: string | null;
}

export interface BillView {
  id: string;
  supplierId: string;
  supplierName: string | null;
  invoiceNumber: string | null;
  ocr: string | null;
  amount: number;
  currency: string;
  dueDate: string;
  period: string;
  status: BillStatus;
  paidAt: string | null;
  bankLineId: string | null;
  categoryId: string | null;
  description: string | null;
  /** Open and past its due date (Swedish calendar). */
  overdue: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Bank matching owns these once a bank line paid the bill: undo the match instead. */
const BANK_LOCKED = ['supplierId', 'ocr', 'amount', 'currency', 'status', 'paidAt'] as const;
const AUDITED = [
  'supplierId',
  'invoiceNumber',
  'ocr',
  'amount',
  'currency',
  'dueDate',
  'categoryId',
  'description',
  'status',
  'paidAt',
  'bankLineId',
];

@Injectable()
export class BillsService implements BillsForMatching, BillsForReports, BillsForInsights {
  constructor(
    private readonly bills: BillsRepository,
    private readonly suppliers: SuppliersService,
    private readonly categories: CategoriesService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly context: RequestContext,
    private readonly trash: TrashService,
    @Optional() @Inject(ECONOMY_WRITES_LISTENER) private readonly writes?: EconomyWritesListener,
  ) {}

  async list(filter: BillListFilter, page: { cursor?: string; limit: number }): Promise<Page<BillView>> {
    const result = await this.bills.list(filter, page);
    const suppliers = await this.suppliers.byIds(result.items.map((b) => b.supplierId));
    return {
      items: result.items.map((b) => this.view(b, suppliers.get(b.supplierId))),
      nextCursor: result.nextCursor,
    };
  }

  async get(id: string): Promise<BillView> {
    const bill = await this.require(id);
    return this.view(bill, (await this.suppliers.byIds([bill.supplierId])).get(bill.supplierId));
  }

  async create(input: BillInput): Promise<BillView> {
    const supplier = await this.suppliers.requireReference(input.supplierId, 'supplierId');
    this.checkOcr(input.ocr ?? null, supplier);
    const categoryId = await this.categoryFor(input.categoryId, supplier);
    if (input.invoiceNumber) await this.assertNoDuplicate(supplier._id, input.invoiceNumber, null);
    const id = await this.ids.getNextGlobalId();
    const created = await this.bills.addBill({
      _id: id,
      supplierId: supplier._id,
      invoiceNumber: input.invoiceNumber ?? null,
      invoiceKey: billInvoiceKey(id, supplier._id, input.invoiceNumber ?? null),
      ocr: input.ocr ?? null,
      amount: input.amount,
      currency: input.currency ?? 'SEK',
      dueDate: input.dueDate,
      period: periodOf(input.dueDate),
      status: 'open',
      paidAt: null,
      bankLineId: null,
      categoryId,
      description: input.description ?? null,
      createdBy: this.context.actor?.userId ?? null,
    });
    if (created === TAKEN) return this.duplicate(supplier._id, input.invoiceNumber ?? null);
    await this.writes?.economyChanged('bill');
    await this.audit.record({
      action: AuditAction.BillCreated,
      targetType: 'bill',
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return this.view(created, supplier);
  }

  async update(id: string, patch: BillPatch): Promise<BillView> {
    const current = await this.require(id);
    if (current.bankLineId) {
      const locked = BANK_LOCKED.filter((f) => patch[f] !== undefined && patch[f] !== current[f]);
      if (locked.length) {
        throw new EconomyError('LINKED_TO_BANK_LINE', undefined, {
          bankLineId: current.bankLineId,
          fields: locked,
        });
      }
    }
    const supplier = await this.suppliers.requireReference(
      patch.supplierId ?? current.supplierId,
      'supplierId',
    );
    const ocr = patch.ocr !== undefined ? patch.ocr : current.ocr;
    if (patch.ocr !== undefined || patch.supplierId !== undefined) this.checkOcr(ocr, supplier);
    if (patch.categoryId) await this.categories.requireReference(patch.categoryId, 'expense', 'categoryId');
    const invoiceNumber = patch.invoiceNumber !== undefined ? patch.invoiceNumber : current.invoiceNumber;
    if (invoiceNumber && (patch.invoiceNumber !== undefined || patch.supplierId !== undefined)) {
      await this.assertNoDuplicate(supplier._id, invoiceNumber, id);
    }
    const set: Partial<BillDoc> = {};
    for (const field of [
      'supplierId',
      'invoiceNumber',
      'ocr',
      'amount',
      'currency',
      'categoryId',
      'description',
    ] as const) {
      if (patch[field] !== undefined) Object.assign(set, { [field]: patch[field] });
    }
    if (patch.supplierId !== undefined || patch.invoiceNumber !== undefined) {
      set.invoiceKey = billInvoiceKey(id, supplier._id, invoiceNumber ?? null);
    }
    if (patch.dueDate !== undefined)
      Object.assign(set, { dueDate: patch.dueDate, period: periodOf(patch.dueDate) });
    const status = patch.status ?? current.status;
    if (status === 'paid') {
      set.status = 'paid';
      set.paidAt = patch.paidAt ?? current.paidAt ?? stockholmDate(this.clock.now());
    } else if (patch.status === 'open' || patch.paidAt === null) {
      Object.assign(set, { status: 'open', paidAt: null });
    }
    const result = await this.bills.changeBill(id, set);
    if (result === TAKEN) return this.duplicate(supplier._id, invoiceNumber ?? null);
    if (!result) throw notFound(ECONOMY_RECORD_TYPES.bill);
    const action =
      result.before.status !== result.after.status
        ? result.after.status === 'paid'
          ? AuditAction.BillPaid
          : AuditAction.BillReopened
        : AuditAction.BillUpdated;
    await this.writes?.economyChanged('bill');
    await this.audit.record({
      action,
      targetType: 'bill',
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return this.view(result.after, supplier);
  }

  /** To the trash (soft delete; answers the undo payload); refused for a bill a bank line paid (undo the match first). */
  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    if (current.bankLineId)
      throw new EconomyError('LINKED_TO_BANK_LINE', undefined, { bankLineId: current.bankLineId });
    const undo = await this.trash.delete(ECONOMY_RECORD_TYPES.bill, id);
    await this.writes?.economyChanged('bill');
    await this.audit.record({
      action: AuditAction.BillDeleted,
      targetType: 'bill',
      targetId: id,
      changes: diffFields(current, {}, ['supplierId', 'invoiceNumber', 'amount', 'dueDate', 'status']),
    });
    return undo;
  }

  // ---- BillsForMatching (bank module) ----

  async openBillsDue(
    from: string,
    to: string,
    limit: number,
  ): Promise<{ id: string; dueDate: string; supplierName: string; amount: number; currency: string }[]> {
    const page = await this.bills.list({ status: 'open', dueFrom: from, dueTo: to }, { limit });
    const suppliers = await this.suppliers.byIds([...new Set(page.items.map((b) => b.supplierId))]);
    return page.items.map((b) => ({
      id: b._id,
      dueDate: b.dueDate,
      supplierName: suppliers.get(b.supplierId)?.name ?? '',
      amount: b.amount,
      currency: b.currency,
    }));
  }

  // ---- BillsForInsights (AI forecast and anomalies) ----

  async billsForInsights(from: string, to: string): Promise<BillForInsights[]> {
    const bills: BillDoc[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.bills.list({ dueFrom: from, dueTo: to }, { cursor, limit: 500 });
      bills.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const suppliers = await this.suppliers.byIds([...new Set(bills.map((b) => b.supplierId))]);
    return bills.map((b) => ({
      id: b._id,
      supplierId: b.supplierId,
      supplierName: suppliers.get(b.supplierId)?.name ?? '',
      categoryId: b.categoryId,
      amount: b.amount,
      currency: b.currency,
      dueDate: b.dueDate,
      status: b.status,
      paidAt: b.paidAt,
    }));
  }

  async findOpenForMatching(query: {
    amountMin: number;
    amountMax: number;
    dueFrom: string;
    dueTo: string;
    ocrs?: string[];
  }): Promise<OpenBillCandidate[]> {
    const bills = await this.bills.findOpenForMatching({ ...query, ocrs: query.ocrs ?? [] });
    const suppliers = await this.suppliers.byIds(bills.map((b) => b.supplierId));
    return bills.map((b) => {
      const supplier = suppliers.get(b.supplierId);
      return {
        id: b._id,
        supplierId: b.supplierId,
        supplierName: supplier?.name ?? '',
        supplierAliases: supplier?.aliases ?? [],
        ocr: b.ocr,
        invoiceNumber: b.invoiceNumber,
        amount: b.amount,
        currency: b.currency,
        dueDate: b.dueDate,
        categoryId: b.categoryId ?? supplier?.defaultCategoryId ?? null,
      };
    });
  }

  async markPaid(id: string, payment: { paidAt: string; bankLineId: string }): Promise<void> {
    const result = await this.bills.markPaid(id, payment.paidAt, payment.bankLineId);
    if (!result) {
      // Idempotent: already paid by this very bank line (a retried booking) is success, anything else is not open.
      const bill = await this.require(id);
      if (bill.status === 'paid' && bill.bankLineId === payment.bankLineId) return;
      throw notFound(ECONOMY_RECORD_TYPES.bill);
    }
    await this.audit.record({
      action: AuditAction.BillPaid,
      targetType: 'bill',
      targetId: id,
      changes: diffFields(result.before, result.after, ['status', 'paidAt', 'bankLineId']),
      metadata: { bankLineId: payment.bankLineId },
    });
  }

  /** Undo of a match: paid → open. Already open: nothing to do. Missing → NOT_FOUND. */
  async reopen(id: string): Promise<void> {
    const result = await this.bills.reopen(id);
    if (!result) {
      await this.require(id);
      return;
    }
    await this.audit.record({
      action: AuditAction.BillReopened,
      targetType: 'bill',
      targetId: id,
      changes: diffFields(result.before, result.after, ['status', 'paidAt', 'bankLineId']),
    });
  }

  // ---- helpers ----

  private async require(id: string): Promise<BillDoc> {
    const bill = await this.bills.findById(id);
    if (!bill) throw notFound(ECONOMY_RECORD_TYPES.bill);
    return bill;
  }

  /**
   * OCR numbers are mod-10 checked at the edge. Whether a length digit is "present" is the biller's choice
   * (Bankgirot's OCR control "variable length with length digit"), so it is a supplier setting: for a supplier
   * with `ocrLengthDigit` the second-to-last digit must equal the number of digits mod 10.
   */
  private checkOcr(ocr: string | null, supplier: SupplierDoc): void {
    if (ocr && supplier.ocrLengthDigit && !ocrHasLengthDigit(ocr)) {
      throw new EconomyError(
        'INVALID_OCR',
        `${supplier.name} uses OCR numbers with a length digit: the second-to-last digit must be ${ocr.length % 10}`,
        { field: 'ocr' },
      );
    }
  }

  private async categoryFor(
    categoryId: string | null | undefined,
    supplier: SupplierDoc,
  ): Promise<string | null> {
    if (categoryId) return (await this.categories.requireReference(categoryId, 'expense', 'categoryId'))._id;
    if (categoryId === null || !supplier.defaultCategoryId) return null;
    const fallback = (await this.categories.liveMap()).get(supplier.defaultCategoryId);
    return fallback?.kind === 'expense' ? fallback._id : null;
  }

  /** A write that lost a race past assertNoDuplicate → the same 409 naming the other bill. */
  private async duplicate(supplierId: string, invoiceNumber: string | null): Promise<never> {
    const other = invoiceNumber ? await this.bills.findBySupplierInvoice(supplierId, invoiceNumber) : null;
    throw new EconomyError('BILL_DUPLICATE', undefined, { billId: other?._id });
  }

  private async assertNoDuplicate(
    supplierId: string,
    invoiceNumber: string,
    exceptId: string | null,
  ): Promise<void> {
    const other = await this.bills.findBySupplierInvoice(supplierId, invoiceNumber);
    if (other && other._id !== exceptId)
      throw new EconomyError('BILL_DUPLICATE', undefined, { billId: other._id });
  }

  private view(b: BillDoc, supplier: SupplierDoc | undefined): BillView {
    return {
      id: b._id,
      supplierId: b.supplierId,
      supplierName: supplier?.name ?? null,
      invoiceNumber: b.invoiceNumber,
      ocr: b.ocr,
      amount: b.amount,
      currency: b.currency,
      dueDate: b.dueDate,
      period: b.period,
      status: b.status,
      paidAt: b.paidAt,
      bankLineId: b.bankLineId,
      categoryId: b.categoryId,
      description: b.description,
      overdue: b.status === 'open' && b.dueDate < stockholmDate(this.clock.now()),
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
    };
  }
}
