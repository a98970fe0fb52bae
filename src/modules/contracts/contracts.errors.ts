import { defineErrors } from '../../common/errors/domain-error';

/**
 * Errors of the contracts module. A missing record, another organization's record and a wrong-shape id are the
 * common `notFound('contract')` (`src/common/errors/domain-error.ts`).
 */
export const ContractsError = defineErrors('ContractsError', {
  INVALID_REFERENCE: [400, 'A referenced record does not exist'],
  INVALID_SCHEDULE: [422, 'The contract’s dates do not fit together'],
  CONTRACT_ALREADY_ENDED: [409, 'The contract has already been cancelled or has ended'],
  CONTRACT_NOT_CANCELLED: [409, 'The contract is not cancelled'],
  TOO_MANY_PRICE_CHANGES: [422, 'A contract keeps at most 120 price steps'],
  CONTRACT_PAYMENT_LINKED: [409, 'Another transaction or bill already paid that payment of the contract'],
});
export type ContractsErrorCode = InstanceType<typeof ContractsError>['code'];
