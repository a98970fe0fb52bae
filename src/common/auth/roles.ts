export const PLATFORM_ROLES = ['user', 'moderator', 'admin'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const ORG_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const ORG_TYPES = ['household', 'family', 'association', 'company'] as const;
export type OrgType = (typeof ORG_TYPES)[number];

/** Higher number = more rights. `viewer` reads only. */
export const ORG_ROLE_RANK: Record<OrgRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
