import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { byEachId } from '../../../infrastructure/mongo/id-filter';
import type { Page } from '../../../infrastructure/mongo/pagination';
import {
  SoftDeleteTenantRepository,
  type Filter,
  type NewRecord,
} from '../../../infrastructure/mongo/repositories';
import { unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import { BillEntity, type BillDoc, type BillStatus } from './bills.schema';

export interface BillListFilter {
  status?: BillStatus;
  supplierId?: string;
  dueFrom?: string;
  dueTo?: string;
}

@Injectable()
export class BillsRepository extends SoftDeleteTenantRepository<BillDoc> {
  constructor(@InjectModel(BillEntity.name) model: Model<BillDoc>, context: RequestContext) {
    super(model, context);
  }

  /** TAKEN when the supplier's invoice number is already registered (a race past the service's check). */
  addBill(doc: NewRecord<BillDoc>): Promise<BillDoc | Taken> {
    return unlessTaken(() => this.add(doc));
  }

  /** TAKEN when the change would give the bill another bill's supplier and invoice number. */
  changeBill(id: string, set: Partial<BillDoc>) {
    return unlessTaken(() => this.updateById(id, { $set: set }));
  }

  list(filter: BillListFilter, page: { cursor?: string; limit: number }): Promise<Page<BillDoc>> {
    const where: Filter<BillDoc> = {};
    if (filter.status) where.status = filter.status;
    if (filter.supplierId) where.supplierId = filter.supplierId;
    if (filter.dueFrom || filter.dueTo) {
      where.dueDate = {
        ...(filter.dueFrom ? { $gte: filter.dueFrom } : {}),
        ...(filter.dueTo ? { $lte: filter.dueTo } : {}),
      };
    }
    return this.pageSorted(where, { field: 'dueDate', direction: 1 }, page);
  }

  /** A live bill of this supplier with this invoice number (duplicate check). */
  findBySupplierInvoice(supplierId: string, invoiceNumber: string): Promise<BillDoc | null> {
    return this.findOneWhere(this.scope({ supplierId, invoiceNumber }));
  }

  /** Open bills, all or of these ids (the reminder source). */
  open(ids?: readonly string[]): Promise<BillDoc[]> {
    return byEachId(ids, (id) => this.find({ status: 'open', ...id }, { sort: { dueDate: 1 } }));
  }

  countOpenBySupplier(supplierId: string): Promise<number> {
    return this.count({ supplierId, status: 'open' });
  }

  countByCategory(categoryId: string): Promise<number> {
    return this.count({ categoryId });
  }

  /** Bills in category `from` move to `to` (deleted ones too: a restore lands on a live category). */
  recategorize(from: string, to: string): Promise<number> {
    return this.updateMany({ categoryId: from }, { $set: { categoryId: to } }, { withDeleted: true });
  }

  /** Open bills in an amount range and due-date window, plus open bills whose OCR is in `ocrs` (two indexed reads). */
  async findOpenForMatching(q: {
    amountMin: number;
    amountMax: number;
    dueFrom: string;
    dueTo: string;
    ocrs: string[];
  }): Promise<BillDoc[]> {
    const [byAmount, byOcr] = await Promise.all([
      this.find({
        status: 'open',
        amount: { $gte: q.amountMin, $lte: q.amountMax },
        dueDate: { $gte: q.dueFrom, $lte: q.dueTo },
      }),
      q.ocrs.length ? this.find({ status: 'open', ocr: { $in: q.ocrs } }) : Promise.resolve([]),
    ]);
    const byId = new Map<string, BillDoc>();
    for (const bill of [...byAmount, ...byOcr]) byId.set(bill._id, bill);
    return [...byId.values()].sort((a, b) =>
      a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a._id < b._id ? -1 : 1,
    );
  }

  /** Open → paid, only if still open (a concurrent payment loses). */
  markPaid(id: string, paidAt: string, bankLineId: string | null) {
    return this.updateWhere(this.scope({ _id: id, status: 'open' }), {
      $set: { status: 'paid', paidAt, bankLineId },
    });
  }

  /** Paid → open, clearing the payment. */
  reopen(id: string) {
    return this.updateWhere(this.scope({ _id: id, status: 'paid' }), {
      $set: { status: 'open', paidAt: null, bankLineId: null },
    });
  }
}
