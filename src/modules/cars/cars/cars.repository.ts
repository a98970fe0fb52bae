import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { byEachId } from '../../../infrastructure/mongo/id-filter';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository, type NewRecord } from '../../../infrastructure/mongo/repositories';
import { TAKEN, unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import { CarEntity, type CarDoc, type CarReminderBasis } from './cars.schema';

/** What a car update may change (undefined: unchanged). */
export type CarChange = Partial<Omit<CarDoc, '_id' | 'organizationId' | 'createdAt' | 'updatedAt'>>;

@Injectable()
export class CarsRepository extends SoftDeleteTenantRepository<CarDoc> {
  constructor(@InjectModel(CarEntity.name) model: Model<CarDoc>, context: RequestContext) {
    super(model, context);
  }

  list(page: { cursor?: string; limit: number }): Promise<Page<CarDoc>> {
    return this.pageSorted({}, { field: 'registration', direction: 1 }, page);
  }

  /** Kept by the reminder source; not a change people make, so neither audited nor `updatedAt`. */
  async setReminderBasis(id: string, basis: CarReminderBasis): Promise<void> {
    await this.model
      .updateOne(this.scope({ _id: id }), { $set: { reminderBasis: basis } }, { timestamps: false })
      .exec();
  }

  all(ids?: readonly string[]): Promise<CarDoc[]> {
    return byEachId(ids, (id) => this.find(id, { sort: { registration: 1 } }));
  }

  findByRegistration(registration: string): Promise<CarDoc | null> {
    return this.findOneWhere(this.scope({ registration }));
  }

  /** TAKEN when a live car has the registration number. */
  addCar(doc: NewRecord<CarDoc>): Promise<CarDoc | Taken> {
    return unlessTaken(() => this.add(doc));
  }

  /**
   * Changes a car; with a new registration, TAKEN when another live car has it (asked first: FerretDB answers an
   * update that breaks a unique index with code 1) or a concurrent write wins the race. Null when the car is gone.
   */
  async change(id: string, change: CarChange): Promise<{ before: CarDoc; after: CarDoc } | null | Taken> {
    if (change.registration !== undefined) {
      const other = await this.findByRegistration(change.registration);
      if (other && other._id !== id) return TAKEN;
    }
    return unlessTaken(() => this.setFields(id, change));
  }

  /** Restores a car from the trash; TAKEN when a live car took its registration meanwhile. */
  restoreUnlessTaken(id: string): Promise<CarDoc | null | Taken> {
    return unlessTaken(() => this.restoreById(id));
  }
}
