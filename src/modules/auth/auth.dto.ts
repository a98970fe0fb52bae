import { createZodDto } from '../../common/http/zod';
import { z } from 'zod';
import { PLATFORM_ROLES } from '../../common/auth/roles';
import { email, password, text } from '../../common/http/zod';

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
  z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(PLATFORM_ROLES),
    emailVerified: z.boolean(),
    preferences: z.record(z.string(), z.unknown()),
    // .min(1): a bare nullable string becomes an array in the OpenAPI document (nestjs-zod #473)
    defaultOrganizationId: z.string().min(1).nullable(),
    personalIdentityNumber: z.string().min(1).nullable(),
    createdAt: z.iso.datetime(),
    organizations: z.array(
      z.object({ id: z.string(), name: z.string(), type: z.string(), role: z.string() }),
    ),
  }),
) {}
