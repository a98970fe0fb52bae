import { Injectable, OnModuleInit } from '@nestjs/common';
import { portableStore } from '../portability/portable-store';
import { RecordRegistry } from '../trash/record-registry';
import { CarsRepository } from './cars/cars.repository';
import type { CarDoc } from './cars/cars.schema';
import { CarEventsRepository } from './events/events.repository';
import type { CarEventDoc } from './events/events.schema';

/** Record type names in the trash, the uploads (`recordId`) and audit entries: never rename. */
export const CARS_RECORD_TYPES = { car: 'car', event: 'car_event' } as const;

/**
 * Cars and their events in the trash and the uploads (receipts, the inspection protocol, photos). A car takes its
 * events with it into the trash and back.
 */
@Injectable()
export class CarsRecords implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly cars: CarsRepository,
    private readonly events: CarEventsRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register<CarDoc>({
      type: CARS_RECORD_TYPES.car,
      find: (id, { withDeleted }) => this.cars.findById(id, { withDeleted }),
      label: (c) => `${c.registration} ${c.name}`,
      portable: { file: 'cars', ...portableStore(this.cars), uniqueKey: (c) => String(c.registration) },
      trash: {
        softDelete: (id, at) => this.cars.softDeleteById(id, at),
        restore: (id) => this.cars.restoreById(id),
        restoreConflict: async (c) =>
          (await this.cars.findByRegistration(c.registration))
            ? { field: 'registration', value: c.registration }
            : null,
        purge: (id) => this.cars.purgeDeleted(id),
      },
    });
    this.registry.register<CarEventDoc>({
      type: CARS_RECORD_TYPES.event,
      find: (id, { withDeleted }) => this.events.findById(id, { withDeleted }),
      label: (e) => `${e.date} ${e.type}`,
      parentOf: (e) => ({ type: CARS_RECORD_TYPES.car, id: e.carId }),
      portable: {
        file: 'car_events',
        ...portableStore(this.events),
        references: { carId: CARS_RECORD_TYPES.car },
      },
      trash: {
        softDelete: (id, at) => this.events.softDeleteById(id, at),
        restore: (id) => this.events.restoreById(id),
        purge: (id) => this.events.purgeDeleted(id),
      },
    });
    this.registry.registerDependents('cars', async (parent) =>
      parent.type === CARS_RECORD_TYPES.car
        ? (await this.events.ofCar(parent.id)).map((e) => ({
            type: CARS_RECORD_TYPES.event,
            id: e._id,
            isDeleted: e.isDeleted,
          }))
        : [],
    );
  }
}
