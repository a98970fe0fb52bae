import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { stockholmDate } from '../../../common/dates';
import { notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { OrganizationsService } from '../../organizations/organizations.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import {
  addInterval,
  defaultLeadDays,
  defaultLeadReading,
  isMeterUnit,
  isOverdue,
  type RecurrenceUnit,
  type ScheduleMode,
} from '../common/recurrence';
import { MaintenanceError } from '../maintenance.errors';
import { MAINTENANCE_RECORD_TYPES } from '../maintenance.records';
import { MaintenanceTasksRepository, type TaskChange } from './tasks.repository';
import { UNDATED, type MaintenanceTaskDoc } from './tasks.schema';

export interface TaskInput {
  title: string;
  description?: string | null;
  area?: string | null;
  recurrence: { every: number; unit: RecurrenceUnit };
  scheduleMode?: ScheduleMode;
  assigneeId?: string | null;
  nextDue?: string;
  lastReading?: number;
  currentReading?: number;
  leadDays?: number[] | null;
  leadReading?: number | null;
  notes?: string | null;
}
export type TaskPatch = Partial<Omit<TaskInput, 'lastReading'>>;

export interface TaskView {
  id: string;
  title: string;
  description: string | null;
  area: string | null;
  recurrence: { every: number; unit: RecurrenceUnit };
  scheduleMode: ScheduleMode;
  assigneeId: string | null;
  nextDue: string | null;
  lastReading: number | null;
  currentReading: number | null;
  dueReading: number | null;
  overdue: boolean;
  leadDays: number[] | null;
  leadReading: number | null;
  reminderLeads: { days: number[] | null; reading: number | null };
  lastCompletedOn: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a completion changes on its task. */
export interface Rescheduled {
  nextDue: string | null;
  anchor: string | null;
  lastReading: number | null;
  currentReading: number | null;
  dueReading: number | null;
  lastCompletedOn: string;
}

const AUDITED = [
  'title',
  'area',
  'every',
  'unit',
  'scheduleMode',
  'assigneeId',
  'nextDue',
  'lastReading',
  'currentReading',
  'dueReading',
  'leadDays',
  'leadReading',
  'lastCompletedOn',
];

/** The leads the reminders use: the task's own, or the defaults for its interval (`common/recurrence.ts`). */
export function reminderLeads(t: MaintenanceTaskDoc): { days: number[] | null; reading: number | null } {
  if (isMeterUnit(t.unit)) return { days: null, reading: t.leadReading ?? defaultLeadReading(t.every) };
  return { days: t.leadDays ?? defaultLeadDays(t.every, t.unit), reading: null };
}

export function taskView(t: MaintenanceTaskDoc, today: string): TaskView {
  return {
    id: t._id,
    title: t.title,
    description: t.description,
    area: t.area,
    recurrence: { every: t.every, unit: t.unit },
    scheduleMode: t.scheduleMode,
    assigneeId: t.assigneeId,
    nextDue: t.nextDue,
    lastReading: t.lastReading,
    currentReading: t.currentReading,
    dueReading: t.dueReading,
    overdue: isOverdue(t, today),
    leadDays: t.leadDays,
    leadReading: t.leadReading,
    reminderLeads: reminderLeads(t),
    lastCompletedOn: t.lastCompletedOn,
    notes: t.notes,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

const readingDue = (current: number | null, due: number | null) =>
  current !== null && due !== null && current >= due;

@Injectable()
export class MaintenanceTasksService {
  constructor(
    private readonly tasks: MaintenanceTasksRepository,
    private readonly organizations: OrganizationsService,
    private readonly context: RequestContext,
    private readonly ids: GlobalIdService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
  ) {}

  /** Today in Sweden, by the injected Clock. */
  today(): string {
    return stockholmDate(this.clock.now());
  }

  async list(
    filter: { overdue?: boolean; assigneeId?: string },
    page: { cursor?: string; limit: number },
  ): Promise<Page<TaskView>> {
    const today = this.today();
    const result = await this.tasks.list(
      {
        assigneeId: filter.assigneeId,
        overdue: filter.overdue === undefined ? undefined : { today, value: filter.overdue },
      },
      page,
    );
    return { items: result.items.map((t) => taskView(t, today)), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<TaskView> {
    return taskView(await this.require(id), this.today());
  }

  async require(id: string): Promise<MaintenanceTaskDoc> {
    const task = await this.tasks.findById(id);
    if (!task) throw notFound(MAINTENANCE_RECORD_TYPES.task);
    return task;
  }

  async create(input: TaskInput): Promise<TaskView> {
    if (input.assigneeId) await this.checkAssignee(input.assigneeId);
    const { every, unit } = input.recurrence;
    const today = this.today();
    const meter = isMeterUnit(unit);
    const nextDue = meter ? null : (input.nextDue ?? addInterval(today, every, unit));
    const lastReading = meter ? (input.lastReading ?? null) : null;
    if (meter && lastReading === null)
      throw new MaintenanceError('READING_REQUIRED', undefined, { field: 'lastReading' });
    const currentReading = meter ? (input.currentReading ?? lastReading) : null;
    const dueReading = meter && lastReading !== null ? lastReading + every : null;
    const created = await this.tasks.add({
      _id: await this.ids.getNextGlobalId(),
      title: input.title,
      description: input.description ?? null,
      area: input.area ?? null,
      every,
      unit,
      scheduleMode: input.scheduleMode ?? 'from_completion',
      assigneeId: input.assigneeId ?? null,
      nextDue,
      anchor: nextDue,
      lastReading,
      currentReading,
      dueReading,
      readingDue: readingDue(currentReading, dueReading),
      sortDue: nextDue ?? UNDATED,
      leadDays: meter ? null : (input.leadDays ?? null),
      leadReading: meter ? (input.leadReading ?? null) : null,
      lastCompletedOn: null,
      notes: input.notes ?? null,
    });
    await this.audit.record({
      action: AuditAction.MaintenanceTaskCreated,
      targetType: MAINTENANCE_RECORD_TYPES.task,
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return taskView(created, today);
  }

  async update(id: string, patch: TaskPatch): Promise<TaskView> {
    const current = await this.require(id);
    if (patch.assigneeId) await this.checkAssignee(patch.assigneeId);
    const meter = isMeterUnit(current.unit);
    const wrong = (field: string) => {
      throw new MaintenanceError('WRONG_RECURRENCE_FIELD', undefined, { field });
    };
    if (patch.recurrence && isMeterUnit(patch.recurrence.unit) !== meter) wrong('recurrence.unit');
    for (const field of meter
      ? (['nextDue', 'leadDays'] as const)
      : (['currentReading', 'leadReading'] as const))
      if (patch[field] !== undefined && patch[field] !== null) wrong(field);
    const { recurrence, ...rest } = patch;
    const change: TaskChange = { ...rest };
    if (recurrence) {
      change.every = recurrence.every;
      change.unit = recurrence.unit;
    }
    if (patch.nextDue !== undefined) {
      change.anchor = patch.nextDue; // a due date set by hand is where a fixed schedule counts from
      change.sortDue = patch.nextDue;
    }
    if (meter) {
      const currentReading = patch.currentReading ?? current.currentReading;
      if (currentReading !== null && current.lastReading !== null && currentReading < current.lastReading)
        throw new MaintenanceError('READING_DECREASED', undefined, {
          field: 'currentReading',
          lastReading: current.lastReading,
        });
      // A new interval counts from the last completion's reading.
      const dueReading =
        recurrence && current.lastReading !== null
          ? current.lastReading + recurrence.every
          : current.dueReading;
      change.dueReading = dueReading;
      change.readingDue = readingDue(currentReading, dueReading);
    }
    const result = await this.tasks.change(id, change);
    if (!result) throw notFound(MAINTENANCE_RECORD_TYPES.task);
    await this.audit.record({
      action: AuditAction.MaintenanceTaskUpdated,
      targetType: MAINTENANCE_RECORD_TYPES.task,
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return taskView(result.after, this.today());
  }

  /** To the trash with its completions (undo payload). */
  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    const undo = await this.trash.delete(MAINTENANCE_RECORD_TYPES.task, id);
    await this.audit.record({
      action: AuditAction.MaintenanceTaskDeleted,
      targetType: MAINTENANCE_RECORD_TYPES.task,
      targetId: id,
      changes: { before: { title: current.title, area: current.area }, after: {} },
    });
    return undo;
  }

  /** A completion's effect on its task (the completions service computed it); audited as `completed`. */
  async reschedule(
    task: MaintenanceTaskDoc,
    next: Rescheduled,
    metadata: Record<string, unknown>,
  ): Promise<TaskView> {
    const result = await this.tasks.change(task._id, {
      ...next,
      sortDue: next.nextDue ?? UNDATED,
      readingDue: readingDue(next.currentReading, next.dueReading),
    });
    if (!result) throw notFound(MAINTENANCE_RECORD_TYPES.task);
    await this.audit.record({
      action: AuditAction.MaintenanceTaskCompleted,
      targetType: MAINTENANCE_RECORD_TYPES.task,
      targetId: task._id,
      changes: diffFields(result.before, result.after, AUDITED),
      metadata,
    });
    return taskView(result.after, this.today());
  }

  /** The assignee must be a member of this organization: anyone else is an unknown reference. */
  private async checkAssignee(userId: string): Promise<void> {
    const { organizationId } = this.context.requireTenant();
    if (!(await this.organizations.membership(organizationId, userId)))
      throw new MaintenanceError('INVALID_REFERENCE', undefined, { field: 'assigneeId' });
  }
}
