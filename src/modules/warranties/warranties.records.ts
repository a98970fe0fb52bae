import { Injectable, OnModuleInit } from '@nestjs/common';
import { portableStore } from '../portability/portable-store';
import { RecordRegistry } from '../trash/record-registry';
import { WarrantiesRepository } from './warranties/warranties.repository';
import type { WarrantyDoc } from './warranties/warranties.schema';

/** Record type names in the trash, the uploads (`recordId`) and audit entries: never rename. */
export const WARRANTIES_RECORD_TYPES = { warranty: 'warranty' } as const;

/** Warranties in the trash and the uploads (the receipt, the warranty certificate, photos of the item). */
@Injectable()
export class WarrantiesRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly warranties: WarrantiesRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register<WarrantyDoc>({
      type: WARRANTIES_RECORD_TYPES.warranty,
      find: (id, { withDeleted }) => this.warranties.findById(id, { withDeleted }),
      label: (w) => `${w.item} (${w.endDate})`,
      portable: {
        file: 'warranties',
        ...portableStore(this.warranties),
        references: { storeId: 'supplier', transactionId: 'transaction', receiptUploadId: 'upload' },
      },
      trash: {
        softDelete: (id, at) => this.warranties.softDeleteById(id, at),
        restore: (id) => this.warranties.restoreById(id),
        purge: (id) => this.warranties.purgeDeleted(id),
      },
    });
  }
}
