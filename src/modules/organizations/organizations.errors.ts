import { defineErrors } from '../../common/errors/domain-error';

export const OrganizationsError = defineErrors('OrganizationsError', {
  INSUFFICIENT_ORG_ROLE: [403, 'Your role in this organization does not allow this'],
  LAST_OWNER: [409, 'An organization must keep at least one owner'],
  ALREADY_MEMBER: [409, 'That person is already a member'],
  INVITATION_INVALID: [400, 'The invitation is invalid, expired or already used'],
  INVITATION_EMAIL_MISMATCH: [403, 'The invitation was sent to another email address'],
});
