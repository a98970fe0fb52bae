import { defineErrors } from '../../common/errors/domain-error';

/**
 * Errors of the bank module (accounts, imports, lines, matching, policies, vouchers). A missing record, another
 * organization's record and a wrong-shape id are the common `notFound(type)` (`src/common/errors/domain-error.ts`).
 */
export const BankError = defineErrors('BankError', {
  INVALID_ACCOUNT_NUMBER: [400, 'Clearing number must be 4–5 digits and account number 1–15 digits'],
  IMPORT_FILE_MISSING: [400, 'Send the statement as multipart field "file"'],
  IMPORT_FILE_EMPTY: [400, 'The file is empty'],
  IMPORT_FORMAT_UNKNOWN: [
    400,
    'Not a camt.053 file: a CSV file needs a column mapping (profileId or mapping)',
  ],
  IMPORT_MAPPING_INVALID: [400, 'The CSV column mapping is not valid'],
  CSV_PROFILE_NAME_TAKEN: [409, 'A CSV profile with that name already exists'],
  LINE_NOT_OPEN: [409, 'The bank line is already matched or ignored'],
  LINE_NOT_IGNORED: [409, 'The bank line is not ignored'],
  LINE_BOOKING_IN_PROGRESS: [
    409,
    'Another booking of this bank line is in progress: retry it with the same candidate',
  ],
  CANDIDATE_NOT_AVAILABLE: [409, 'That candidate is not (or no longer) a suggestion for this bank line'],
  CATEGORY_KIND_MISMATCH: [400, 'Money in needs an income category, money out an expense category'],
  INVALID_REFERENCE: [400, 'A referenced record does not exist'],
  CONTRACT_PAYMENT_NOT_SCHEDULED: [
    422,
    'The contract has no scheduled payment on that day (give create.contractPaymentDate, one of its payment days)',
  ],
  CONTRACT_PAYMENT_LINKED: [409, 'Another transaction or bill already paid that payment of the contract'],
  CONTRACT_PAYMENT_MONEY_IN: [422, 'A contract payment is money out; this bank line is money in'],
  MATCH_ALREADY_UNDONE: [409, 'This match has already been undone'],
  POLICY_THRESHOLD_NOT_MET: [
    409,
    'Automatic booking needs more approvals for this counterparty (with no reject since)',
  ],
  BOOKKEEPING_RECORD_IMMUTABLE: [
    409,
    'Bookkeeping records are kept for seven years after the fiscal year and can never be changed or deleted (BFL 7 kap): undo the match to write a correction',
  ],
  SIE_ORG_NUMBER_MISSING: [
    409,
    'Set the organisationsnummer in the bookkeeping settings before exporting SIE',
  ],
  SETTINGS_LOCKED: [409, 'The fiscal year start cannot change once vouchers exist'],
  VOUCHER_NUMBER_CONTENDED: [503, 'Could not number the voucher: too many at once, try again'],
});
export type BankErrorCode = InstanceType<typeof BankError>['code'];
