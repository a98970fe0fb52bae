import { defineErrors } from '../../common/errors/domain-error';

export const TrashError = defineErrors('TrashError', {
  BOOKKEEPING_RECORD_IMMUTABLE: [
    409,
    'Bookkeeping records are kept for seven years after the fiscal year and can never be deleted (BFL 7 kap)',
  ],
  RESTORE_NAME_TAKEN: [409, 'Another record now uses the same name: rename one of them, then restore'],
  PARENT_IN_TRASH: [409, 'The record this belongs to is in the trash: restore that one first'],
});
