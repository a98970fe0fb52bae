import { Injectable, OnModuleInit } from '@nestjs/common';
import { RecordRegistry } from '../trash/record-registry';
import { BankAccountsRepository } from './accounts/accounts.repository';
import type { BankAccountDoc } from './accounts/accounts.schema';
import { BankLinesRepository } from './lines/lines.repository';

/** Record type names in the trash, the uploads and audit entries: never rename. */
export const BANK_RECORD_TYPES = {
  account: 'bank_account',
} as const;

/**
 * Registers the bank's trashable records. A bank account goes to the trash like every other record (DELETE answers
 * the undo payload, `POST /trash/:id/restore` brings it back). Its lines, imports and vouchers stay where they are
 * (bookkeeping, BFL 7 kap); the retention purge removes the account for good only when no bank line refers to it —
 * otherwise it stays soft-deleted, so the vouchers keep the account they were booked on.
 */
@Injectable()
export class BankRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly accounts: BankAccountsRepository,
    private readonly lines: BankLinesRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register<BankAccountDoc>({
      type: BANK_RECORD_TYPES.account,
      find: (id, { withDeleted }) => this.accounts.findById(id, { withDeleted }),
      label: (a) => a.name,
      canOwnFiles: false,
      trash: {
        softDelete: (id, at) => this.accounts.softDeleteById(id, at),
        restore: (id) => this.accounts.restoreById(id),
        purge: async (id) => {
          if ((await this.lines.count({ bankAccountId: id })) === 0) await this.accounts.purgeDeleted(id);
        },
      },
    });
  }
}
