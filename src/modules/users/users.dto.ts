import { z } from 'zod';
import { PLATFORM_ROLES } from '../../common/auth/roles';
import { createZodDto, fitsView, pageQuery, pageResponse, text } from '../../common/http/zod';
import { preferencesPatchSchema, preferencesSchema } from './preferences';
import type { AdminUserView, UserView } from './users.service';

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

// Responses of the admin routes (OpenAPI schemas; the admin portal's typed client is generated from them).
const instant = z.iso.datetime();
export const adminUserResponse = fitsView<AdminUserView>()(
  z
    .object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: z.enum(PLATFORM_ROLES),
      emailVerified: z.boolean(),
      defaultOrganizationId: z.string().nullable(),
      createdAt: instant,
      isDeleted: z.boolean(),
      deletedAt: instant.nullable(),
      deletedBy: z.string().nullable(),
    })
    .meta({
      example: {
        id: 'U000012',
        email: 'anna@example.se',
        name: 'Anna Andersson',
        role: 'user',
        emailVerified: true,
        defaultOrganizationId: 'O000007',
        createdAt: '2026-11-02T09:15:00.000Z',
        isDeleted: false,
        deletedAt: null,
        deletedBy: null,
      },
    }),
);
export class AdminUserResponseDto extends createZodDto(adminUserResponse) {}
export class AdminUserPageResponseDto extends createZodDto(pageResponse(adminUserResponse)) {}

// Responses of the user's own routes (PATCH /me, /me/preferences, POST /auth/register; GET /me extends it).
export class PreferencesResponseDto extends createZodDto(preferencesSchema) {}

export const userResponse = fitsView<UserView>()(
  z
    .object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: z.enum(PLATFORM_ROLES),
      emailVerified: z.boolean(),
      preferences: preferencesSchema,
      defaultOrganizationId: z.string().nullable(),
      personalIdentityNumber: z
        .string()
        .nullable()
        .describe('Personnummer (decrypted for its owner); null when not set'),
      createdAt: z.iso.datetime(),
    })
    .meta({
      example: {
        id: 'A000007',
        email: 'anna@example.se',
        name: 'Anna Svensson',
        role: 'user',
        emailVerified: true,
        preferences: {
          notifications: { channels: ['email'], daysBefore: [7, 1] },
          ui: { locale: 'sv', theme: 'system', dateFormat: 'YYYY-MM-DD' },
          trash: { retentionDays: 30 },
        },
        defaultOrganizationId: 'A000008',
        personalIdentityNumber: null,
        createdAt: '2026-11-02T09:30:00.000Z',
      },
    }),
);
export class UserResponseDto extends createZodDto(userResponse) {}
