import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository, type GroupRow } from '../../../infrastructure/mongo/repositories';
import { MaintenanceCompletionEntity, type MaintenanceCompletionDoc } from './completions.schema';

@Injectable()
export class MaintenanceCompletionsRepository extends SoftDeleteTenantRepository<MaintenanceCompletionDoc> {
  constructor(
    @InjectModel(MaintenanceCompletionEntity.name) model: Model<MaintenanceCompletionDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  list(taskId: string, page: { cursor?: string; limit: number }): Promise<Page<MaintenanceCompletionDoc>> {
    return this.pageSorted({ taskId }, { field: 'date', direction: -1 }, page);
  }

  /** A task's completions, deleted ones too: they follow the task into the trash and back. */
  ofTask(taskId: string): Promise<MaintenanceCompletionDoc[]> {
    return this.find({ taskId }, { withDeleted: true });
  }

  /** Cost and count per (year, currency) of the live completions, summed by the database. */
  costByYear(): Promise<GroupRow<'year' | 'currency', 'cost' | 'count'>[]> {
    return this.groupSums({}, { year: '$year', currency: '$currency' }, { cost: '$cost', count: 1 });
  }
}
