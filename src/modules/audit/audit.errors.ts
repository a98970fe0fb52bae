import { defineErrors } from '../../common/errors/domain-error';

export const AuditError = defineErrors('AuditError', {
  CHAIN_CONTENDED: [503, 'The audit log is busy, please try again'],
});
