import { defineErrors } from '../../common/errors/domain-error';

export const AuthError = defineErrors('AuthError', {
  INVALID_CREDENTIALS: [401, 'Wrong email or password'],
  EMAIL_NOT_VERIFIED: [403, 'Confirm your email address first: we sent you a link'],
  EMAIL_TAKEN: [409, 'An account with this email address already exists'],
  INVALID_TOKEN: [400, 'The link or code is invalid, expired or already used'],
  INVALID_REFRESH_TOKEN: [401, 'Sign in again'],
  REFRESH_TOKEN_REUSED: [401, 'This refresh token was already used; every session of this sign-in was ended'],
  INVALID_CURRENT_PASSWORD: [403, 'The current password is wrong'],
  TOO_MANY_FAILED_LOGINS: [
    429,
    'Too many failed sign-ins for this account from your network: try again later',
  ],
});
