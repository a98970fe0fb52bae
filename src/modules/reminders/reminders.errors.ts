import { defineErrors } from '../../common/errors/domain-error';

/** Errors of the reminders module; a missing or foreign reminder is the common `notFound('reminder')`. */
export const RemindersError = defineErrors('RemindersError', {
  INVALID_SNOOZE: [422, 'A reminder is snoozed until a day after today'],
});
