import type { BankLinesForCategorization } from '../../bank/bank.contract';
import { LinesService } from '../../bank/lines/lines.service';

/** AI categorization's only link to the bank module's classes (see bank.contract.ts). */
export const BANK_LINES = Symbol('BankLinesForCategorization');
export type { BankLinesForCategorization };
export const BANK_PORTS = [{ provide: BANK_LINES, useExisting: LinesService }];
