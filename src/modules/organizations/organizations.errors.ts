import { defineErrors } from '../../common/errors/domain-error';

export const OrganizationsError = defineErrors('OrganizationsError', {
  INSUFFICIENT_ORG_ROLE: [403, 'Your role in this organization does not allow this'],
  LAST_OWNER: [409, 'An organization must keep at least one owner'],
  ALREADY_MEMBER: [409, 'That person is already a member'],
  INVITATION_ALREADY_ACCEPTED: [409, 'The invitation was already accepted; remove the member instead'],
});
