import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey, type Taken, unlessTaken } from '../../../infrastructure/mongo/unique';
import { MutableRepository } from '../../../infrastructure/mongo/repositories';
import { BillingInvoiceEntity, type BillingInvoiceDoc } from './invoices.schema';

@Injectable()
export class BillingInvoicesRepository extends MutableRepository<BillingInvoiceDoc> {
  constructor(@InjectModel(BillingInvoiceEntity.name) model: Model<BillingInvoiceDoc>) {
    super(model);
  }

  /** Throws a duplicate-key error when the invoice number exists (the caller answers 409). */
  /** TAKEN when the invoice number is already registered. */
  create(invoice: Omit<BillingInvoiceDoc, 'createdAt' | 'updatedAt'>): Promise<BillingInvoiceDoc | Taken> {
    return unlessTaken(() => this.insert(invoice));
  }

  findByInvoiceId(invoiceId: string): Promise<BillingInvoiceDoc | null> {
    return this.findOneWhere({ invoiceId });
  }

  /** One organization's invoices, newest first (the payment history). */
  forOrganization(organizationId: string, limit = 100): Promise<BillingInvoiceDoc[]> {
    return this.findWhere({ organizationId }, { sort: { createdAt: -1, _id: -1 }, limit });
  }

  openForOrganization(organizationId: string): Promise<BillingInvoiceDoc[]> {
    return this.findWhere(
      { organizationId, status: 'open' },
      { sort: { createdAt: -1, _id: -1 }, limit: 50 },
    );
  }

  /** Open invoices of many organizations at once (the daily job's batch). */
  openForOrganizations(organizationIds: string[]): Promise<BillingInvoiceDoc[]> {
    return organizationIds.length
      ? this.findWhere({ organizationId: { $in: organizationIds }, status: 'open' })
      : Promise.resolve([]);
  }

  /** Invoices paid in [from, to): the admin overview's revenue of a month. */
  paidBetween(from: Date, to: Date): Promise<BillingInvoiceDoc[]> {
    return this.findWhere({ status: 'paid', paidAt: { $gte: from, $lt: to } });
  }

  markPaid(id: string, paidAt: Date) {
    return this.updateWhere({ _id: id, status: 'open' }, { $set: { status: 'paid', paidAt } });
  }

  /** A provider's invoice: updates status/amount of a known number, else inserts it. */
  async upsertFromProvider(
    invoice: Omit<BillingInvoiceDoc, 'createdAt' | 'updatedAt'>,
  ): Promise<BillingInvoiceDoc> {
    const existing = await this.findByInvoiceId(invoice.invoiceId);
    if (!existing) {
      try {
        return await this.insert(invoice);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    const { _id: _ignored, ...fields } = invoice;
    const result = await this.updateWhere({ invoiceId: invoice.invoiceId }, { $set: fields });
    return result?.after ?? ((await this.findByInvoiceId(invoice.invoiceId)) as BillingInvoiceDoc);
  }
}
