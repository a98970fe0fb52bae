import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { SoftDeleteTenantRepository, type NewRecord } from '../../../infrastructure/mongo/repositories';
import { unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import { ContractPaymentEntity, type ContractPaymentDoc } from './payments.schema';

@Injectable()
export class ContractPaymentsRepository extends SoftDeleteTenantRepository<ContractPaymentDoc> {
  constructor(
    @InjectModel(ContractPaymentEntity.name) model: Model<ContractPaymentDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  /** The live actuals of these contracts (all days), for costs and views. */
  ofContracts(contractIds: string[]): Promise<ContractPaymentDoc[]> {
    return contractIds.length
      ? this.find({ contractId: { $in: contractIds } }, { sort: { date: 1 } })
      : Promise.resolve([]);
  }

  /** A contract's actuals, deleted ones too: they follow the contract into the trash and back. */
  ofContract(contractId: string): Promise<ContractPaymentDoc[]> {
    return this.find({ contractId }, { withDeleted: true });
  }

  findOn(contractId: string, date: string): Promise<ContractPaymentDoc | null> {
    return this.findOneWhere(this.scope({ contractId, date }));
  }

  /** TAKEN when a concurrent request stored the same day first. */
  addPayment(doc: NewRecord<ContractPaymentDoc>): Promise<ContractPaymentDoc | Taken> {
    return unlessTaken(() => this.add(doc));
  }

  change(id: string, change: Pick<ContractPaymentDoc, 'amount' | 'transactionId' | 'billId' | 'note'>) {
    return this.updateById(id, { $set: change });
  }

  /** `change`, but only while no other transaction or bill pays the day (one conditional update). */
  changeIfOpenFor(
    id: string,
    transactionId: string,
    change: Pick<ContractPaymentDoc, 'amount' | 'transactionId' | 'billId' | 'note'>,
  ) {
    return this.updateWhere(
      { _id: id, $or: [{ transactionId: null, billId: null }, { transactionId }] },
      { $set: change },
    );
  }
}
