import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
import { BankAccountEntity, type BankAccountDoc } from './accounts.schema';

/**
 * Bank accounts. Reads are lean; every query goes through `scope()` (the request's or job's organization).
 *
 * FerretDB v1 notes: SQLite pushes down only `_id` equality, so the indexed queries here scan there — fine for tests
 * and small data; on MongoDB each is served by the index named in accounts.schema.ts.
 */

@Injectable()
export class BankAccountsRepository extends SoftDeleteTenantRepository<BankAccountDoc> {
  constructor(@InjectModel(BankAccountEntity.name) model: Model<BankAccountDoc>, context: RequestContext) {
    super(model, context);
  }

  /**
   * Renames or changes an account: only the fields given (undefined = unchanged); the numbers always together,
   * already encrypted. `{before, after}` for the audit diff, null when the account is gone.
   */
  change(
    id: string,
    change: BankAccountChange,
  ): Promise<{ before: BankAccountDoc; after: BankAccountDoc } | null> {
    const set: Partial<BankAccountDoc> = {};
    if (change.name !== undefined) set.name = change.name;
    if (change.bank !== undefined) set.bank = change.bank;
    if (change.currency !== undefined) set.currency = change.currency;
    if (change.ledgerAccount !== undefined) set.ledgerAccount = change.ledgerAccount;
    if (change.numbers) Object.assign(set, change.numbers);
    return this.updateById(id, { $set: set });
  }
}

export interface BankAccountChange {
  name?: string;
  bank?: string;
  currency?: string;
  ledgerAccount?: string;
  numbers?: Pick<BankAccountDoc, 'clearingNumberEnc' | 'accountNumberEnc'>;
}
