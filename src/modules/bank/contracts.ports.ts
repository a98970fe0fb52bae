import type { ContractPaymentsForBank, ContractWithPaymentDays } from '../contracts/contracts.contract';
import { ContractPaymentsService } from '../contracts/payments/payments.service';

/**
 * The bank module's only link to the contracts module's classes: a token bound to the service that implements
 * `contracts.contract.ts` (contract hints on bank lines, the contract payment an approval records).
 */
export const CONTRACT_PAYMENTS = Symbol('ContractPaymentsForBank');

export type { ContractPaymentsForBank, ContractWithPaymentDays };

export const CONTRACTS_PORTS = [{ provide: CONTRACT_PAYMENTS, useExisting: ContractPaymentsService }];
