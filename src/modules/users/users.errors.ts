import { defineErrors } from '../../common/errors/domain-error';

export const UsersError = defineErrors('UsersError', {
  INVALID_PERSONAL_IDENTITY_NUMBER: [400, 'Not a valid Swedish personal identity number'],
  CANNOT_CHANGE_OWN_ROLE: [409, 'Admins cannot change or delete their own account here'],
});
