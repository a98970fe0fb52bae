import { defineErrors } from '../../common/errors/domain-error';

/** Errors of the cars module; a missing or foreign car or event is the common `notFound('car' | 'car_event')`. */
export const CarsError = defineErrors('CarsError', {
  INVALID_REGISTRATION: [
    400,
    'Not a Swedish registration number (ABC 123 or ABC 12A; personal plates with personalPlate)',
  ],
  REGISTRATION_TAKEN: [409, 'A car with that registration number already exists'],
  ODOMETER_IMPLAUSIBLE: [
    422,
    'The odometer reading does not fit the car’s other readings: check it, or send confirm: true',
  ],
});
