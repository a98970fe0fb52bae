import { createZodDto } from '../../common/http/zod';
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

const invitationResponse = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(ORG_ROLES),
  status: z
    .enum(['pending', 'expired'])
    .describe('`expired`: past expiresAt, never accepted; still revocable'),
  invitedBy: z.object({
    userId: z.string(),
    name: z.string().nullable().describe('null when the inviter deleted their account'),
  }),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export class InvitationPageResponseDto extends createZodDto(
  z.object({ items: z.array(invitationResponse), nextCursor: z.string().nullable() }),
) {}
