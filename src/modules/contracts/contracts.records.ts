import { Injectable, OnModuleInit } from '@nestjs/common';
import { portableStore } from '../portability/portable-store';
import { RecordRegistry } from '../trash/record-registry';
import { ContractsRepository } from './contracts/contracts.repository';
import type { ContractDoc } from './contracts/contracts.schema';
import { ContractPaymentsRepository } from './payments/payments.repository';
import type { ContractPaymentDoc } from './payments/payments.schema';

/** Record type names in the trash, the uploads (`recordId`) and audit entries: never rename. */
export const CONTRACTS_RECORD_TYPES = { contract: 'contract', payment: 'contract_payment' } as const;

/**
 * Registers contracts with the trash (DELETE answers the undo payload, restore, purge) and the uploads: the
 * contract's PDF, the order confirmation or a price-change letter attach with `POST /uploads` `recordId`.
 */
@Injectable()
export class ContractsRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly contracts: ContractsRepository,
    private readonly payments: ContractPaymentsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register<ContractDoc>({
      type: CONTRACTS_RECORD_TYPES.contract,
      find: (id, { withDeleted }) => this.contracts.findById(id, { withDeleted }),
      label: (c) => c.name,
      portable: {
        file: 'contracts',
        ...portableStore(this.contracts),
        references: { providerId: 'supplier', categoryId: 'category' },
      },
      trash: {
        softDelete: (id, at) => this.contracts.softDeleteById(id, at),
        restore: (id) => this.contracts.restoreById(id),
        purge: (id) => this.contracts.purgeDeleted(id),
      },
    });
    // A recorded payment amount follows its contract into the trash and back.
    this.registry.register<ContractPaymentDoc>({
      type: CONTRACTS_RECORD_TYPES.payment,
      find: (id, { withDeleted }) => this.payments.findById(id, { withDeleted }),
      label: (p) => `${p.date} ${p.amount / 100} kr`,
      canOwnFiles: false,
      parentOf: (p) => ({ type: CONTRACTS_RECORD_TYPES.contract, id: p.contractId }),
      portable: {
        file: 'contract_payments',
        ...portableStore(this.payments),
        references: {
          contractId: CONTRACTS_RECORD_TYPES.contract,
          transactionId: 'transaction',
          billId: 'bill',
        },
        uniqueKey: (p) => `${String(p.contractId)}|${String(p.date)}`,
      },
      trash: {
        softDelete: (id, at) => this.payments.softDeleteById(id, at),
        restore: (id) => this.payments.restoreById(id),
        restoreConflict: async (p) =>
          (await this.payments.findOn(p.contractId, p.date)) ? { field: 'date', value: p.date } : null,
        purge: (id) => this.payments.purgeDeleted(id),
      },
    });
    this.registry.registerDependents('contracts', async (parent) =>
      parent.type === CONTRACTS_RECORD_TYPES.contract
        ? (await this.payments.ofContract(parent.id)).map((p) => ({
            type: CONTRACTS_RECORD_TYPES.payment,
            id: p._id,
            isDeleted: p.isDeleted,
          }))
        : [],
    );
  }
}
