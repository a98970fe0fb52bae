import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ORG_ROLES, ORG_TYPES } from '../../common/auth/roles';
import { email, pageQuery, text } from '../../common/http/zod';

const name = text(120);

export class CreateOrganizationDto extends createZodDto(z.strictObject({ name, type: z.enum(ORG_TYPES) })) {}
export class UpdateOrganizationDto extends createZodDto(
  z
    .strictObject({ name: name.optional(), type: z.enum(ORG_TYPES).optional() })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}
export class UpdateMemberDto extends createZodDto(z.strictObject({ role: z.enum(ORG_ROLES) })) {}
export class CreateInvitationDto extends createZodDto(
  z.strictObject({ email, role: z.enum(ORG_ROLES).default('member') }),
) {}
export class AcceptInvitationDto extends createZodDto(
  z.strictObject({ token: z.string().min(10).max(200) }),
) {}
export class ListInvitationsQueryDto extends createZodDto(pageQuery) {}
