import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository, type GroupRow } from '../../../infrastructure/mongo/repositories';
import type { CarEventType } from '../common/car-kinds';
import { CarEventEntity, type CarEventDoc } from './events.schema';

export type CarEventChange = Partial<
  Omit<CarEventDoc, '_id' | 'organizationId' | 'carId' | 'createdAt' | 'updatedAt'>
>;

/** The readings and fills statistics and the guard read (no notes, no ids they don't need). */
export type EventFacts = Pick<
  CarEventDoc,
  | '_id'
  | 'type'
  | 'date'
  | 'odometerKm'
  | 'cost'
  | 'quantity'
  | 'quantityUnit'
  | 'fullTank'
  | 'fuelType'
  | 'station'
>;

@Injectable()
export class CarEventsRepository extends SoftDeleteTenantRepository<CarEventDoc> {
  constructor(@InjectModel(CarEventEntity.name) model: Model<CarEventDoc>, context: RequestContext) {
    super(model, context);
  }

  list(
    carId: string,
    filter: { type?: CarEventType; from?: string; to?: string },
    page: { cursor?: string; limit: number },
  ): Promise<Page<CarEventDoc>> {
    const date = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) };
    return this.pageSorted(
      { carId, ...(filter.type ? { type: filter.type } : {}), ...(filter.from || filter.to ? { date } : {}) },
      { field: 'date', direction: -1 },
      page,
    );
  }

  /** Every live event of a car, oldest first, with the fields statistics and the guard need. */
  async facts(carId: string): Promise<EventFacts[]> {
    return this.model
      .find(this.scope({ carId }), {
        type: 1,
        date: 1,
        odometerKm: 1,
        cost: 1,
        quantity: 1,
        quantityUnit: 1,
        fullTank: 1,
        fuelType: 1,
        station: 1,
      })
      .sort({ date: 1, _id: 1 })
      .lean<EventFacts[]>()
      .exec();
  }

  /** A car's odometer readings from `from` on, oldest first (the reminder source's pace). */
  async readingsSince(carId: string, from: string): Promise<{ date: string; odometer: number }[]> {
    const rows = await this.model
      .find(this.scope({ carId, date: { $gte: from }, odometerKm: { $ne: null } }), {
        date: 1,
        odometerKm: 1,
      })
      .sort({ date: 1, _id: 1 })
      .lean<{ date: string; odometerKm: number }[]>()
      .exec();
    return rows.map((r) => ({ date: r.date, odometer: r.odometerKm }));
  }

  /** A car's latest event of a type (by date). */
  latest(carId: string, type: CarEventType): Promise<CarEventDoc | null> {
    return this.model
      .findOne(this.scope({ carId, type }))
      .sort({ date: -1, _id: -1 })
      .lean<CarEventDoc>()
      .exec();
  }

  firstReading(carId: string): Promise<CarEventDoc | null> {
    return this.model
      .findOne(this.scope({ carId, odometerKm: { $ne: null } }))
      .sort({ date: 1, _id: 1 })
      .lean<CarEventDoc>()
      .exec();
  }

  /** Cost per (period, type) of a car, summed by the database. */
  costByPeriodAndType(carId: string): Promise<GroupRow<'period' | 'type', 'cost' | 'count'>[]> {
    return this.groupSums({ carId }, { period: '$period', type: '$type' }, { cost: '$cost', count: 1 });
  }

  /** Cost per (car, type) of the organization's SEK events in a date range, summed by the database (reports). */
  costByCarAndType(from: string, to: string): Promise<GroupRow<'carId' | 'type', 'cost'>[]> {
    return this.groupSums(
      { date: { $gte: from, $lte: to }, currency: 'SEK' },
      { carId: '$carId', type: '$type' },
      { cost: '$cost' },
    );
  }

  change(id: string, change: CarEventChange) {
    return this.setFields(id, change);
  }

  /** A car's events, deleted ones too: they follow the car into the trash and back. */
  ofCar(carId: string): Promise<CarEventDoc[]> {
    return this.find({ carId }, { withDeleted: true });
  }
}
