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
}
