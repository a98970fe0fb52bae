import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { byEachId } from '../../../infrastructure/mongo/id-filter';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
import { MaintenanceTaskEntity, type MaintenanceTaskDoc } from './tasks.schema';

/** What a task update may change (undefined: unchanged). */
export type TaskChange = Partial<
  Omit<MaintenanceTaskDoc, '_id' | 'organizationId' | 'createdAt' | 'updatedAt'>
>;

export interface TaskFilter {
  /** Overdue (true) or not (false) on `today`: due before it, or the reading reached. */
  overdue?: { today: string; value: boolean };
  assigneeId?: string;
}

@Injectable()
export class MaintenanceTasksRepository extends SoftDeleteTenantRepository<MaintenanceTaskDoc> {
  constructor(
    @InjectModel(MaintenanceTaskEntity.name) model: Model<MaintenanceTaskDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  list(filter: TaskFilter, page: { cursor?: string; limit: number }): Promise<Page<MaintenanceTaskDoc>> {
    return this.pageSorted(
      {
        ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}),
        ...(filter.overdue?.value === true
          ? { $or: [{ sortDue: { $lt: filter.overdue.today } }, { readingDue: true }] }
          : {}),
        ...(filter.overdue?.value === false
          ? { sortDue: { $gte: filter.overdue.today }, readingDue: false }
          : {}),
      },
      { field: 'sortDue', direction: 1 },
      page,
    );
  }

  all(ids?: readonly string[]): Promise<MaintenanceTaskDoc[]> {
    return byEachId(ids, (id) => this.find(id, { sort: { sortDue: 1, _id: 1 } }));
  }

  change(id: string, change: TaskChange) {
    return this.setFields(id, change);
  }
}
