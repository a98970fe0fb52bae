import { Injectable, OnModuleInit } from '@nestjs/common';
import { RecordRegistry } from '../trash/record-registry';
import { ContractsRepository } from './contracts/contracts.repository';
import type { ContractDoc } from './contracts/contracts.schema';

/** Record type names in the trash, the uploads (`recordId`) and audit entries: never rename. */
export const CONTRACTS_RECORD_TYPES = { contract: 'contract' } as const;

/**
 * Registers contracts with the trash (DELETE answers the undo payload, restore, purge) and the uploads: the
 * contract's PDF, the order confirmation or a price-change letter attach with `POST /uploads` `recordId`.
 */
@Injectable()
export class ContractsRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly contracts: ContractsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register<ContractDoc>({
      type: CONTRACTS_RECORD_TYPES.contract,
      find: (id, { withDeleted }) => this.contracts.findById(id, { withDeleted }),
      label: (c) => c.name,
      trash: {
        softDelete: (id, at) => this.contracts.softDeleteById(id, at),
        restore: (id) => this.contracts.restoreById(id),
        purge: (id) => this.contracts.purgeDeleted(id),
      },
    });
  }
}
