import { Injectable } from '@nestjs/common';
import { periodOf } from '../../../common/dates';
import { notFound } from '../../../common/errors/domain-error';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { CarsService } from '../cars/cars.service';
import type { CarDoc } from '../cars/cars.schema';
import { inCarUnit, KM_PER, type CarEventType, type FuelType, type QuantityUnit } from '../common/car-kinds';
import { odometerProblem } from '../common/odometer';
import { CARS_RECORD_TYPES } from '../cars.records';
import { CarsError } from '../cars.errors';
import { CarEventsRepository, type CarEventChange } from './events.repository';
import type { CarEventDoc } from './events.schema';

export interface CarEventInput {
  type: CarEventType;
  date: string;
  /** In the car's odometer unit. */
  odometer?: number | null;
  cost: number;
  currency?: string;
  quantity?: number | null;
  quantityUnit?: QuantityUnit | null;
  fullTank?: boolean;
  fuelType?: FuelType | null;
  station?: string | null;
  notes?: string | null;
  /** Store a reading the plausibility guard questions (it is flagged). */
  confirm?: boolean;
}

export interface CarEventView {
  id: string;
  carId: string;
  type: CarEventType;
  date: string;
  odometer: number | null;
  cost: number;
  currency: string;
  quantity: number | null;
  quantityUnit: QuantityUnit | null;
  fullTank: boolean;
  fuelType: FuelType | null;
  station: string | null;
  notes: string | null;
  flag: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const AUDITED = [
  'type',
  'date',
  'odometerKm',
  'cost',
  'quantity',
  'quantityUnit',
  'fullTank',
  'fuelType',
  'station',
  'flag',
];

export function eventView(car: CarDoc, e: CarEventDoc): CarEventView {
  return {
    id: e._id,
    carId: e.carId,
    type: e.type,
    date: e.date,
    odometer: inCarUnit(car.odometerUnit, e.odometerKm),
    cost: e.cost,
    currency: e.currency,
    quantity: e.quantity,
    quantityUnit: e.quantityUnit,
    fullTank: e.fullTank,
    fuelType: e.fuelType,
    station: e.station,
    notes: e.notes,
    flag: e.flag,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

@Injectable()
export class CarEventsService {
  constructor(
    private readonly events: CarEventsRepository,
    private readonly cars: CarsService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
  ) {}

  async list(
    carId: string,
    filter: { type?: CarEventType; from?: string; to?: string },
    page: { cursor?: string; limit: number },
  ): Promise<Page<CarEventView>> {
    const car = await this.cars.require(carId);
    const result = await this.events.list(carId, filter, page);
    return { items: result.items.map((e) => eventView(car, e)), nextCursor: result.nextCursor };
  }

  async create(carId: string, input: CarEventInput): Promise<CarEventView> {
    const car = await this.cars.require(carId);
    const odometerKm = this.toKm(car, input.odometer);
    const flag = await this.guard(car, input.date, odometerKm, input.confirm ?? false, null);
    const created = await this.events.add({
      _id: await this.ids.getNextGlobalId(),
      carId,
      type: input.type,
      date: input.date,
      period: periodOf(input.date),
      odometerKm,
      cost: input.cost,
      currency: input.currency ?? car.currency,
      quantity: input.quantity ?? null,
      quantityUnit: input.quantityUnit ?? null,
      fullTank: input.fullTank ?? false,
      fuelType: input.fuelType ?? null,
      station: input.station ?? null,
      notes: input.notes ?? null,
      flag,
    });
    await this.audit.record({
      action: AuditAction.CarEventCreated,
      targetType: CARS_RECORD_TYPES.event,
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return eventView(car, created);
  }

  async update(carId: string, id: string, patch: Partial<CarEventInput>): Promise<CarEventView> {
    const car = await this.cars.require(carId);
    const current = await this.require(carId, id);
    const { odometer, confirm, ...rest } = patch;
    const change: CarEventChange = { ...rest };
    if (patch.date !== undefined) change.period = periodOf(patch.date);
    if (odometer !== undefined) change.odometerKm = this.toKm(car, odometer);
    if (odometer !== undefined || patch.date !== undefined) {
      const km = change.odometerKm !== undefined ? change.odometerKm : current.odometerKm;
      change.flag = await this.guard(car, patch.date ?? current.date, km, confirm ?? false, id);
    }
    const result = await this.events.change(id, change);
    if (!result) throw notFound(CARS_RECORD_TYPES.event);
    await this.audit.record({
      action: AuditAction.CarEventUpdated,
      targetType: CARS_RECORD_TYPES.event,
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return eventView(car, result.after);
  }

  async remove(carId: string, id: string): Promise<UndoPayload> {
    await this.require(carId, id);
    const undo = await this.trash.delete(CARS_RECORD_TYPES.event, id);
    await this.audit.record({
      action: AuditAction.CarEventDeleted,
      targetType: CARS_RECORD_TYPES.event,
      targetId: id,
    });
    return undo;
  }

  private async require(carId: string, id: string): Promise<CarEventDoc> {
    const event = await this.events.findById(id);
    if (!event || event.carId !== carId) throw notFound(CARS_RECORD_TYPES.event);
    return event;
  }

  private toKm(car: CarDoc, odometer: number | null | undefined): number | null {
    return odometer === undefined || odometer === null
      ? null
      : Math.round(odometer * KM_PER[car.odometerUnit]);
  }

  /**
   * The plausibility guard: a reading that does not fit the car's others is refused with 422 ODOMETER_IMPLAUSIBLE
   * (details say why, in the car's unit) unless confirmed; a confirmed one is stored with the reason as its flag.
   */
  private async guard(
    car: CarDoc,
    date: string,
    odometerKm: number | null,
    confirm: boolean,
    self: string | null,
  ): Promise<string | null> {
    if (odometerKm === null) return null;
    const readings = (await this.events.facts(car._id)).flatMap((e) =>
      e.odometerKm !== null && e._id !== self ? [{ date: e.date, odometer: e.odometerKm }] : [],
    );
    const problem = odometerProblem({ date, odometer: odometerKm }, readings);
    if (!problem) return null;
    if (confirm) return problem.reason;
    const reading = (r: { date: string; odometer: number }) => ({
      date: r.date,
      odometer: inCarUnit(car.odometerUnit, r.odometer),
    });
    throw new CarsError('ODOMETER_IMPLAUSIBLE', undefined, {
      reason: problem.reason,
      unit: car.odometerUnit,
      ...('previous' in problem ? { previous: reading(problem.previous) } : {}),
      ...('next' in problem ? { next: reading(problem.next) } : {}),
      ...('kmPerDay' in problem ? { kmPerDay: problem.kmPerDay } : {}),
      ...('usualKmPerDay' in problem ? { usualKmPerDay: problem.usualKmPerDay } : {}),
    });
  }
}
