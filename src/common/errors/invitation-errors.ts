import { defineErrors } from './domain-error';

/**
 * The one definition of a bad invitation, shared by every kind of invitation (organization membership, billing):
 * same codes, same HTTP status, same message wherever a token is accepted.
 */
export const InvitationError = defineErrors('InvitationError', {
  INVITATION_INVALID: [400, 'The invitation is invalid, expired or already used'],
  INVITATION_EMAIL_MISMATCH: [403, 'The invitation was sent to another email address'],
});
