import { Injectable } from '@nestjs/common';
import { notFound } from '../../../common/errors/domain-error';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import type { FuelType, OdometerUnit } from '../common/car-kinds';
import { formatRegistration, normalizeRegistration } from '../common/registration';
import { CARS_RECORD_TYPES } from '../cars.records';
import { CarsError } from '../cars.errors';
import { CarsRepository, type CarChange } from './cars.repository';
import type { CarDoc } from './cars.schema';

export interface CarInput {
  name?: string;
  registration: string;
  personalPlate?: boolean;
  make?: string | null;
  model?: string | null;
  year?: number | null;
  fuelTypes?: FuelType[];
  purchaseDate?: string | null;
  purchasePrice?: number | null;
  currency?: string;
  odometerUnit?: OdometerUnit;
  serviceIntervalKm?: number | null;
  serviceIntervalMonths?: number | null;
  serviceCombine?: 'first' | 'later';
  inspectionDue?: string | null;
  taxDue?: string | null;
  insuranceRenewal?: string | null;
  reminderLeadDays?: number[] | null;
  reminderLeadKm?: number | null;
  notes?: string | null;
}

export type CarView = Omit<
  CarDoc,
  '_id' | 'organizationId' | 'isDeleted' | 'deletedAt' | 'deletedBy' | 'reminderBasis'
> & {
  id: string;
  /** As on the plate: `ABC 123`. */
  registrationDisplay: string;
};

const AUDITED = [
  'name',
  'registration',
  'make',
  'model',
  'year',
  'fuelTypes',
  'purchaseDate',
  'purchasePrice',
  'odometerUnit',
  'serviceIntervalKm',
  'serviceIntervalMonths',
  'serviceCombine',
  'inspectionDue',
  'taxDue',
  'insuranceRenewal',
];

export function carView(c: CarDoc): CarView {
  const {
    _id,
    organizationId: _o,
    isDeleted: _d,
    deletedAt: _a,
    deletedBy: _b,
    reminderBasis: _r,
    ...rest
  } = c;
  return { id: _id, ...rest, registrationDisplay: formatRegistration(c.registration, c.personalPlate) };
}

@Injectable()
export class CarsService {
  constructor(
    private readonly cars: CarsRepository,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
  ) {}

  async list(page: { cursor?: string; limit: number }): Promise<Page<CarView>> {
    const result = await this.cars.list(page);
    return { items: result.items.map(carView), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<CarView> {
    return carView(await this.require(id));
  }

  async require(id: string): Promise<CarDoc> {
    const car = await this.cars.findById(id);
    if (!car) throw notFound(CARS_RECORD_TYPES.car);
    return car;
  }

  async create(input: CarInput): Promise<CarView> {
    const registration = this.registration(input.registration, input.personalPlate ?? false);
    const created = await this.cars.addCar({
      _id: await this.ids.getNextGlobalId(),
      name: input.name ?? ([input.make, input.model].filter(Boolean).join(' ') || registration),
      registration,
      personalPlate: input.personalPlate ?? false,
      make: input.make ?? null,
      model: input.model ?? null,
      year: input.year ?? null,
      fuelTypes: input.fuelTypes ?? [],
      purchaseDate: input.purchaseDate ?? null,
      purchasePrice: input.purchasePrice ?? null,
      currency: input.currency ?? 'SEK',
      odometerUnit: input.odometerUnit ?? 'km',
      serviceIntervalKm: input.serviceIntervalKm ?? null,
      serviceIntervalMonths: input.serviceIntervalMonths ?? null,
      serviceCombine: input.serviceCombine ?? 'first',
      inspectionDue: input.inspectionDue ?? null,
      taxDue: input.taxDue ?? null,
      insuranceRenewal: input.insuranceRenewal ?? null,
      reminderLeadDays: input.reminderLeadDays ?? null,
      reminderLeadKm: input.reminderLeadKm ?? null,
      notes: input.notes ?? null,
    });
    if (created === TAKEN) throw new CarsError('REGISTRATION_TAKEN', undefined, { registration });
    await this.audit.record({
      action: AuditAction.CarCreated,
      targetType: CARS_RECORD_TYPES.car,
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return carView(created);
  }

  async update(id: string, patch: Partial<CarInput>): Promise<CarView> {
    const current = await this.require(id);
    const personal = patch.personalPlate ?? current.personalPlate;
    const change: CarChange = { ...patch, registration: undefined };
    if (patch.registration !== undefined || patch.personalPlate !== undefined)
      change.registration = this.registration(patch.registration ?? current.registration, personal);
    const result = await this.cars.change(id, change);
    if (result === TAKEN)
      throw new CarsError('REGISTRATION_TAKEN', undefined, { registration: change.registration });
    if (!result) throw notFound(CARS_RECORD_TYPES.car);
    await this.audit.record({
      action: AuditAction.CarUpdated,
      targetType: CARS_RECORD_TYPES.car,
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return carView(result.after);
  }

  /** To the trash with its events (undo payload). */
  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    const undo = await this.trash.delete(CARS_RECORD_TYPES.car, id);
    await this.audit.record({
      action: AuditAction.CarDeleted,
      targetType: CARS_RECORD_TYPES.car,
      targetId: id,
      changes: { before: { registration: current.registration, name: current.name }, after: {} },
    });
    return undo;
  }

  private registration(value: string, personal: boolean): string {
    const normalized = normalizeRegistration(value, personal);
    if (!normalized) throw new CarsError('INVALID_REGISTRATION', undefined, { field: 'registration' });
    return normalized;
  }
}
