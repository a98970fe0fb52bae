import type { CarsForLinking } from '../cars/cars.contract';
import { CarsService } from '../cars/cars/cars.service';

/** The insurance module's only link to the cars module's classes: a car policy may name the car it covers. */
export const CARS = Symbol('CarsForInsurance');

export type { CarsForLinking };

export const CARS_PORTS = [{ provide: CARS, useExisting: CarsService }];
