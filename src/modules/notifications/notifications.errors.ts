import { defineErrors } from '../../common/errors/domain-error';

/** Errors of the notifications module; a missing or someone else's notification is the common `notFound`. */
export const NotificationsError = defineErrors('NotificationsError', {
  CHANNEL_NOT_OFFERED: [422, 'This kind of notification cannot be sent on that channel'],
  INVALID_QUIET_HOURS: [422, 'Quiet hours need a start and an end that differ'],
  INVALID_UNSUBSCRIBE_TOKEN: [400, 'The unsubscribe link is not valid'],
});
