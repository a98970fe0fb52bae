import { z } from 'zod';
import { createZodDto, email, fitsView, password, text } from '../../common/http/zod';
import { userResponse } from '../users/users.dto';
import type { AuthService } from './auth.service';

const token = z.string().min(10).max(300);

export class RegisterDto extends createZodDto(z.strictObject({ email, password, name: text(120) })) {}
export class LoginDto extends createZodDto(z.strictObject({ email, password: z.string().min(1).max(256) })) {}
/** The password is set here, by whoever holds the mailed link (the address owner): see docs/accounts.md. */
export class VerifyEmailDto extends createZodDto(z.strictObject({ token, password })) {}
export class EmailDto extends createZodDto(z.strictObject({ email })) {}
export class RefreshDto extends createZodDto(z.strictObject({ refreshToken: token })) {}
export class ResetPasswordDto extends createZodDto(z.strictObject({ token, password })) {}
export class ChangePasswordDto extends createZodDto(
  z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: password }),
) {}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

// Responses (OpenAPI schemas; the admin portal's typed client is generated from them).
export class TokenPairResponseDto extends createZodDto(
  z
    .object({
      accessToken: z.string(),
      refreshToken: z.string().describe('Works once: refresh answers a new pair'),
      tokenType: z.literal('Bearer'),
      expiresIn: z.number().int().describe('Seconds the access token is valid'),
    })
    .meta({
      example: { accessToken: 'eyJhbGciOi…', refreshToken: 'rt_…', tokenType: 'Bearer', expiresIn: 900 },
    }),
) {}

export class MeResponseDto extends createZodDto(
  userResponse.extend({
    organizations: z
      .array(z.object({ id: z.string(), name: z.string(), type: z.string(), role: z.string() }))
      .describe('The organizations you belong to, with your role in each'),
  }),
) {}

export class VerifiedResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<AuthService['verifyEmail']>>>()(z.object({ verified: z.literal(true) })),
) {}
export class PasswordResetResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<AuthService['resetPassword']>>>()(z.object({ reset: z.literal(true) })),
) {}
/** 202 of the mail-sending routes: the same answer whether or not a mail went out. */
export class AcceptedResponseDto extends createZodDto(z.object({ accepted: z.literal(true) })) {}
