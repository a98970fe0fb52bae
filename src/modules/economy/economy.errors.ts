import { defineErrors } from '../../common/errors/domain-error';

/**
 * Errors of the economy module (categories, suppliers, transactions, bills, statistics). A missing record, another
 * organization's record and a wrong-shape id are the common `notFound(type)` (`src/common/errors/domain-error.ts`).
 */
export const EconomyError = defineErrors('EconomyError', {
  INVALID_REFERENCE: [400, 'A referenced record does not exist'],
  CATEGORY_KIND_MISMATCH: [400, 'The category is of the other kind (income/expense)'],
  CATEGORY_CYCLE: [400, 'A category cannot be placed under itself or one of its subcategories'],
  CATEGORY_TOO_DEEP: [400, 'Categories nest at most 4 levels deep'],
  CATEGORY_NAME_TAKEN: [409, 'A category with that name already exists at that place'],
  CATEGORY_IN_USE: [409, 'The category is in use: say where its records should go (moveTo)'],
  SUPPLIER_NAME_TAKEN: [409, 'A supplier with that name already exists'],
  SUPPLIER_HAS_OPEN_BILLS: [409, 'The supplier has open bills'],
  BILL_DUPLICATE: [409, 'This supplier already has a bill with that invoice number'],
  INVALID_OCR: [400, 'The OCR number is not valid for this supplier'],
  LINKED_TO_BANK_LINE: [409, 'Linked to a bank line: undo the match first'],
});
export type EconomyErrorCode = InstanceType<typeof EconomyError>['code'];
