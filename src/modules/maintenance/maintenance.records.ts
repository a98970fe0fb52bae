import { Injectable, OnModuleInit } from '@nestjs/common';
import { portableStore } from '../portability/portable-store';
import { RecordRegistry } from '../trash/record-registry';
import { MaintenanceCompletionsRepository } from './completions/completions.repository';
import type { MaintenanceCompletionDoc } from './completions/completions.schema';
import { MaintenanceTasksRepository } from './tasks/tasks.repository';
import type { MaintenanceTaskDoc } from './tasks/tasks.schema';

/** Record type names in the trash, the uploads (`recordId`) and audit entries: never rename. */
export const MAINTENANCE_RECORD_TYPES = {
  task: 'maintenance_task',
  completion: 'maintenance_completion',
} as const;

/**
 * Tasks and their completions in the trash and the uploads (photos, the receipt of a completion). A task takes
 * its completions with it into the trash and back.
 */
@Injectable()
export class MaintenanceRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly tasks: MaintenanceTasksRepository,
    private readonly completions: MaintenanceCompletionsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register<MaintenanceTaskDoc>({
      type: MAINTENANCE_RECORD_TYPES.task,
      find: (id, { withDeleted }) => this.tasks.findById(id, { withDeleted }),
      label: (t) => (t.area ? `${t.area}: ${t.title}` : t.title),
      // the assignee is a person of the exporting organization: not carried over
      portable: { file: 'maintenance_tasks', ...portableStore(this.tasks), droppedFields: ['assigneeId'] },
      trash: {
        softDelete: (id, at) => this.tasks.softDeleteById(id, at),
        restore: (id) => this.tasks.restoreById(id),
        purge: (id) => this.tasks.purgeDeleted(id),
      },
    });
    this.registry.register<MaintenanceCompletionDoc>({
      type: MAINTENANCE_RECORD_TYPES.completion,
      find: (id, { withDeleted }) => this.completions.findById(id, { withDeleted }),
      label: (c) => `${c.date} ${c.note ?? ''}`.trim(),
      parentOf: (c) => ({ type: MAINTENANCE_RECORD_TYPES.task, id: c.taskId }),
      portable: {
        file: 'maintenance_completions',
        ...portableStore(this.completions),
        references: { taskId: MAINTENANCE_RECORD_TYPES.task },
        userFields: ['completedBy'],
      },
      trash: {
        softDelete: (id, at) => this.completions.softDeleteById(id, at),
        restore: (id) => this.completions.restoreById(id),
        purge: (id) => this.completions.purgeDeleted(id),
      },
    });
    this.registry.registerDependents('maintenance', async (parent) =>
      parent.type === MAINTENANCE_RECORD_TYPES.task
        ? (await this.completions.ofTask(parent.id)).map((c) => ({
            type: MAINTENANCE_RECORD_TYPES.completion,
            id: c._id,
            isDeleted: c.isDeleted,
          }))
        : [],
    );
  }
}
