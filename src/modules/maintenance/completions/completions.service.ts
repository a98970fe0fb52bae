import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { isMeterUnit, nextDueDate, nextDueReading } from '../common/recurrence';
import { MaintenanceError } from '../maintenance.errors';
import { MaintenanceTasksService, type Rescheduled, type TaskView } from '../tasks/tasks.service';
import { MaintenanceCompletionsRepository } from './completions.repository';
import type { MaintenanceCompletionDoc } from './completions.schema';

export interface CompletionInput {
  date?: string;
  cost?: number;
  note?: string | null;
  reading?: number;
}

export type CompletionView = Omit<
  MaintenanceCompletionDoc,
  '_id' | 'organizationId' | 'year' | 'isDeleted' | 'deletedAt' | 'deletedBy' | 'updatedAt'
> & { id: string };

export interface CostsView {
  years: { year: string; currency: string; cost: number; completions: number }[];
}

export function completionView(c: MaintenanceCompletionDoc): CompletionView {
  return {
    id: c._id,
    taskId: c.taskId,
    date: c.date,
    cost: c.cost,
    currency: c.currency,
    note: c.note,
    reading: c.reading,
    completedBy: c.completedBy,
    dueDate: c.dueDate,
    dueReading: c.dueReading,
    nextDue: c.nextDue,
    nextDueReading: c.nextDueReading,
    createdAt: c.createdAt,
  };
}

@Injectable()
export class MaintenanceCompletionsService {
  constructor(
    private readonly completions: MaintenanceCompletionsRepository,
    private readonly tasks: MaintenanceTasksService,
    private readonly context: RequestContext,
    private readonly ids: GlobalIdService,
    private readonly cache: CacheService,
  ) {}

  async list(taskId: string, page: { cursor?: string; limit: number }): Promise<Page<CompletionView>> {
    await this.tasks.require(taskId);
    const result = await this.completions.list(taskId, page);
    return { items: result.items.map(completionView), nextCursor: result.nextCursor };
  }

  /**
   * Records a completion in the cost log and moves the task's due date (or due reading) by its schedule mode. A
   * completion dated before the task's last one is logged without moving the schedule (filling in the history).
   */
  async complete(taskId: string, input: CompletionInput): Promise<TaskView> {
    const task = await this.tasks.require(taskId);
    const today = this.tasks.today();
    const date = input.date ?? today;
    if (date > today) throw new MaintenanceError('COMPLETION_IN_FUTURE', undefined, { field: 'date', today });
    const meter = isMeterUnit(task.unit);
    if (!meter && input.reading !== undefined)
      throw new MaintenanceError('WRONG_RECURRENCE_FIELD', undefined, { field: 'reading' });
    if (meter && input.reading === undefined)
      throw new MaintenanceError('READING_REQUIRED', undefined, { field: 'reading' });
    const reading = input.reading ?? null;
    if (meter && reading !== null && task.lastReading !== null && reading < task.lastReading)
      throw new MaintenanceError('READING_DECREASED', undefined, {
        field: 'reading',
        lastReading: task.lastReading,
      });

    const moves = task.lastCompletedOn === null || date >= task.lastCompletedOn;
    const next: Rescheduled = {
      nextDue: task.nextDue,
      anchor: task.anchor,
      lastReading: task.lastReading,
      currentReading: task.currentReading,
      dueReading: task.dueReading,
      lastCompletedOn: moves ? date : (task.lastCompletedOn ?? date),
    };
    if (meter && reading !== null) {
      next.lastReading = reading;
      next.currentReading = Math.max(reading, task.currentReading ?? reading);
      next.dueReading = nextDueReading(
        { every: task.every, mode: task.scheduleMode, dueReading: task.dueReading ?? reading },
        reading,
      );
    } else if (!isMeterUnit(task.unit) && moves && task.nextDue) {
      next.nextDue = nextDueDate(
        {
          every: task.every,
          unit: task.unit,
          mode: task.scheduleMode,
          due: task.nextDue,
          anchor: task.anchor ?? task.nextDue,
        },
        date,
      );
      // from completion: the new due date is where the schedule counts from now
      if (task.scheduleMode === 'from_completion') next.anchor = next.nextDue;
    }

    const completion = await this.completions.add({
      _id: await this.ids.getNextGlobalId(),
      taskId,
      date,
      year: date.slice(0, 4),
      cost: input.cost ?? 0,
      currency: 'SEK',
      note: input.note ?? null,
      reading,
      completedBy: this.context.actor?.userId ?? null,
      dueDate: task.nextDue,
      dueReading: task.dueReading,
      nextDue: next.nextDue,
      nextDueReading: meter ? next.dueReading : null,
    });
    return this.tasks.reschedule(task, next, {
      completionId: completion._id,
      date,
      cost: completion.cost,
      ...(reading !== null ? { reading } : {}),
    });
  }

  /** The cost log summed per year (live tasks' completions; never converted between currencies). */
  costs(): Promise<CostsView> {
    // Cached per organization until a completion or task of it changes (a task's trash moves its completions).
    return this.cache.tenant('maintenance.costs', ['maintenance_completions', 'maintenance_tasks'], [], () =>
      this.computeCosts(),
    );
  }

  private async computeCosts(): Promise<CostsView> {
    const rows = await this.completions.costByYear();
    return {
      years: rows
        .map((r) => ({
          year: r._id.year ?? '',
          currency: r._id.currency ?? 'SEK',
          cost: r.cost,
          completions: r.count,
        }))
        .sort((a, b) => a.year.localeCompare(b.year) || a.currency.localeCompare(b.currency)),
    };
  }
}
