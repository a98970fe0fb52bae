import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import { CrossTenantReason, TenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  ReminderCheckEntity,
  ReminderScanEntity,
  ReminderScheduleEntity,
  type ReminderCheckDoc,
  type ReminderScheduleDoc,
} from './schedule.schema';

/** A record's next check: `day` null when nothing can change until the record does. */
export interface NextCheck {
  sourceType: string;
  sourceId: string;
  day: string | null;
  /** An occasion of the record passes its date that day (see `rollsOver`). */
  rollover: boolean;
}

/** A record due for a check in some organization (the daily scan's rows). */
export interface DueCheck {
  organizationId: string;
  sourceType: string;
  sourceId: string;
  rollover: boolean;
}

@Injectable()
export class ReminderChecksRepository extends TenantRepository<ReminderCheckDoc> {
  constructor(
    @InjectModel(ReminderCheckEntity.name) model: Model<ReminderCheckDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  /**
   * Adds these records' next checks. Only inserts (FerretDB's cheapest write): a row is `<organization>:<type>:
   * <id>:<day>`, so a record checked again keeps the earlier row, and that day checks it once more for nothing —
   * a check is idempotent, and a day's rows are removed once its scan has read them.
   */
  async add(checks: NextCheck[]): Promise<void> {
    const now = new Date();
    const organizationId = this.organizationId;
    const docs = checks.flatMap((c) =>
      c.day === null
        ? []
        : [
            {
              _id: `${organizationId}:${c.sourceType}:${c.sourceId}:${c.day}${c.rollover ? ':r' : ''}`,
              organizationId,
              sourceType: c.sourceType,
              sourceId: c.sourceId,
              day: c.day,
              rollover: c.rollover,
              createdAt: now,
              updatedAt: now,
            },
          ],
    );
    // A duplicate is the same record on the same day: already scheduled.
    duplicatesOnly(await insertMany(this.model, docs, { ordered: false, lean: true }));
  }

  /** Replaces every check of these source types (a full run): removes them, then adds the new ones. */
  async replaceAll(sourceTypes: readonly string[], checks: NextCheck[]): Promise<void> {
    for (const sourceType of sourceTypes) await this.model.deleteMany(this.scope({ sourceType })).exec();
    await this.add(checks);
  }

  /** Every organization's records due for a check on `day` (the daily scan; `day` is an equality). */
  async dueAcrossOrganizations(day: string): Promise<DueCheck[]> {
    const rows = await this.acrossTenants(CrossTenantReason.ReminderSchedule, (collection) =>
      collection
        .find({ day }, { projection: { _id: 0, organizationId: 1, sourceType: 1, sourceId: 1, rollover: 1 } })
        .toArray(),
    );
    return rows.map((row) => ({
      organizationId: String(row.organizationId),
      sourceType: String(row.sourceType),
      sourceId: String(row.sourceId),
      rollover: row.rollover === true,
    }));
  }

  /** Removes a day's rows in every organization once the scan has handed them to the runs (one statement). */
  async removeDay(day: string): Promise<void> {
    await this.acrossTenants(CrossTenantReason.ReminderSchedule, async (collection) => {
      await collection.deleteMany({ day });
      return [];
    });
  }
}

/** Which organizations have a schedule built by a full run, and of which version of the rules. */
@Injectable()
export class ReminderSchedulesRepository extends TenantRepository<ReminderScheduleDoc> {
  constructor(
    @InjectModel(ReminderScheduleEntity.name) model: Model<ReminderScheduleDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  async markBuilt(version: number, day: string): Promise<void> {
    const now = new Date();
    await this.model
      .updateOne(
        this.scope({ _id: this.organizationId }),
        { $set: { version, builtOn: day, updatedAt: now }, $setOnInsert: { createdAt: now } },
        { upsert: true },
      )
      .exec();
  }

  /** The organizations whose schedule is built with this version (the scan runs the others in full). */
  async builtAcrossOrganizations(version: number): Promise<Set<string>> {
    const rows = await this.acrossTenants(CrossTenantReason.ReminderSchedule, (collection) =>
      collection.find({ version }, { projection: { _id: 1 } }).toArray(),
    );
    return new Set(rows.map((row) => String(row._id)));
  }
}

/** The daily scan's bookmark: the last day it read. */
@Injectable()
export class ReminderScansRepository {
  constructor(@InjectModel(ReminderScanEntity.name) private readonly model: Model<ReminderScanEntity>) {}

  async lastDay(): Promise<string | null> {
    const row = await this.model.findOne({ _id: 'daily' }).lean<ReminderScanEntity>().exec();
    return row?.lastDay ?? null;
  }

  async setLastDay(day: string): Promise<void> {
    await this.model.updateOne({ _id: 'daily' }, { $set: { lastDay: day } }, { upsert: true }).exec();
  }
}
