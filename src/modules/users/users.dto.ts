import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PLATFORM_ROLES } from '../../common/auth/roles';
import { pageQuery, text } from '../../common/http/zod';
import { preferencesPatchSchema } from './preferences';

export class UpdateMeDto extends createZodDto(
  z
    .strictObject({
      name: text(120).optional(),
      /** Personnummer; stored encrypted. `null` removes it. */
      personalIdentityNumber: z.string().max(20).nullable().optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export class UpdatePreferencesDto extends createZodDto(preferencesPatchSchema) {}

export class AdminUsersQueryDto extends createZodDto(
  pageQuery.extend({
    email: z.string().trim().min(1).max(254).optional(),
    role: z.enum(PLATFORM_ROLES).optional(),
    deleted: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  }),
) {}

export class AdminUpdateUserDto extends createZodDto(z.strictObject({ role: z.enum(PLATFORM_ROLES) })) {}
