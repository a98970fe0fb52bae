import { defineErrors } from '../../common/errors/domain-error';

/**
 * Errors of the insurance module. A missing policy, another organization's and a wrong-shape id are the common
 * `notFound('insurance_policy')` (`src/common/errors/domain-error.ts`).
 */
export const InsuranceError = defineErrors('InsuranceError', {
  INVALID_REFERENCE: [400, 'A referenced record does not exist'],
  INSURER_REQUIRED: [400, 'Name the insurer: insurerId (a supplier) or insurerName, one of them'],
  ONE_LINK_ONLY: [400, 'A policy is linked to a car (carId) or an item (item), not both'],
});
