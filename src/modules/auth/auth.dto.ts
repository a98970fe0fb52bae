import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
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
