import { z } from 'zod';
import { ORG_ROLES, ORG_TYPES } from '../../common/auth/roles';
import { createZodDto, email, fitsView, pageQuery, text } from '../../common/http/zod';
import type {
  InvitationView,
  MemberView,
  OrganizationView,
  OrganizationsService,
} from './organizations.service';

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

const invitationResponse = fitsView<InvitationView>()(
  z.object({
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
  }),
);
export class InvitationPageResponseDto extends createZodDto(
  z.object({ items: z.array(invitationResponse), nextCursor: z.string().nullable() }),
) {}

const organizationResponse = fitsView<OrganizationView>()(
  z
    .object({
      id: z.string(),
      name: z.string(),
      type: z.enum(ORG_TYPES),
      role: z.enum(ORG_ROLES).describe('Your role in it'),
      createdAt: z.iso.datetime(),
    })
    .meta({
      example: {
        id: 'A000042',
        name: 'Familjen Svensson',
        type: 'household',
        role: 'owner',
        createdAt: '2026-11-02T09:30:00.000Z',
      },
    }),
);
export class OrganizationResponseDto extends createZodDto(organizationResponse) {}
export class OrganizationListResponseDto extends createZodDto(z.array(organizationResponse)) {}

const memberResponse = fitsView<MemberView>()(
  z.object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ORG_ROLES),
    joinedAt: z.iso.datetime(),
  }),
);
export class MemberResponseDto extends createZodDto(memberResponse) {}
export class MemberListResponseDto extends createZodDto(z.array(memberResponse)) {}

export class InvitationCreatedResponseDto extends createZodDto(
  fitsView<Awaited<ReturnType<OrganizationsService['invite']>>>()(
    z.object({
      id: z.string(),
      email: z.string(),
      role: z.enum(ORG_ROLES),
      expiresAt: z.iso.datetime().describe('7 days after sending'),
    }),
  ),
) {}
