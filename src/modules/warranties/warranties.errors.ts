import { defineErrors } from '../../common/errors/domain-error';

/** Errors of the warranties module; a missing or foreign warranty is the common `notFound('warranty')`. */
export const WarrantiesError = defineErrors('WarrantiesError', {
  INVALID_REFERENCE: [400, 'A referenced record does not exist'],
  INVALID_WARRANTY: [422, 'The warranty needs a purchase date and a length or an end date after it'],
});
