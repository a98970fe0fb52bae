import { defineErrors } from '../../common/errors/domain-error';

/**
 * Errors of the maintenance module. A missing task, another organization's task and a wrong-shape id are the
 * common `notFound('maintenance_task')` (`src/common/errors/domain-error.ts`).
 */
export const MaintenanceError = defineErrors('MaintenanceError', {
  INVALID_REFERENCE: [400, 'A referenced record does not exist'],
  WRONG_RECURRENCE_FIELD: [
    400,
    'The field does not fit the task’s recurrence (dates for days/weeks/months/years, readings for hours/km)',
  ],
  READING_REQUIRED: [400, 'A task recurring by operating hours or kilometres needs a reading'],
  READING_DECREASED: [422, 'The reading is lower than the task’s last reading'],
  COMPLETION_IN_FUTURE: [422, 'A task cannot be completed on a day after today'],
});
export type MaintenanceErrorCode = InstanceType<typeof MaintenanceError>['code'];
