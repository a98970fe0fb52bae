import { defineErrors } from '../../common/errors/domain-error';

export const ReportsError = defineErrors('ReportsError', {
  INVALID_REFERENCE: [400, 'A referenced record does not exist'],
  INVALID_PERIOD: [400, 'The period must be YYYY-MM for a monthly report and YYYY for a yearly one'],
  REPORT_NOT_READY: [409, 'The report is not ready yet'],
  REPORT_EXPIRED: [410, 'The report file has expired; create the report again'],
  REPORT_FAILED: [409, 'The report could not be made'],
});
