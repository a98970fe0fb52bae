import { z } from 'zod';
import { createZodDto, pageQuery, pageResponse, text } from '../../common/http/zod';
import { AuditAction } from './audit-action';
import type { AuditEntry } from './audit.schema';

const isoDateTime = z.iso.datetime({ offset: true });

const auditListFields = pageQuery.extend({
  actorId: text(200).optional().describe('Only entries by this user'),
  targetType: text(100).optional().describe('Only entries about this kind of record'),
  targetId: text(200).optional().describe('Only entries about this record'),
  action: z.enum(AuditAction).optional().describe('Only entries of this action'),
  from: isoDateTime.optional().describe('Entries at or after this instant (ISO 8601)'),
  to: isoDateTime.optional().describe('Entries before this instant (ISO 8601, exclusive)'),
});
const fromBeforeTo = {
  check: (q: { from?: string; to?: string }) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to),
  params: { message: 'must be later than from', path: ['to'] },
};
export const auditListQuery = auditListFields.refine(fromBeforeTo.check, fromBeforeTo.params);
export class AuditListQueryDto extends createZodDto(auditListQuery) {}

/** `GET /admin/audit`: the same filters on any one chain (platform admins). */
export const adminAuditListQuery = auditListFields
  .extend({
    organizationId: z
      .string()
      .min(1)
      .max(200)
      .default('platform')
      .describe('An organization id, or `platform` (default) for entries outside any'),
  })
  .refine(fromBeforeTo.check, fromBeforeTo.params);
export class AdminAuditListQueryDto extends createZodDto(adminAuditListQuery) {}

export const auditVerifyQuery = z.strictObject({
  organizationId: z
    .string()
    .min(1)
    .max(200)
    .describe('An organization id, or `platform` for entries outside any'),
});
export class AuditVerifyQueryDto extends createZodDto(auditVerifyQuery) {}

const auditObject = z.record(z.string(), z.unknown());

export const auditEntryResponse = z.object({
  id: z.string(),
  seq: z.number().int(),
  organizationId: z.string().nullable(),
  actorId: z.string().nullable(),
  action: z.enum(AuditAction),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  changes: z.object({ before: auditObject, after: auditObject }).nullable(),
  metadata: auditObject.nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  at: z.iso.datetime(),
  hash: z.string(),
  prevHash: z.string(),
});
export type AuditEntryResponse = z.infer<typeof auditEntryResponse>;

export const auditPageResponse = pageResponse(auditEntryResponse);
export class AuditPageResponseDto extends createZodDto(auditPageResponse) {}
export type AuditPageResponse = z.infer<typeof auditPageResponse>;

export const auditVerifyResponse = z.object({
  organizationId: z.string(),
  valid: z.boolean(),
  count: z.number().int(),
  brokenAt: z
    .object({
      id: z.string(),
      seq: z.number().int(),
      reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap']),
    })
    .optional()
    .describe('The first entry that does not verify; absent when valid'),
});
export class AuditVerifyResponseDto extends createZodDto(auditVerifyResponse) {}
export type AuditVerifyResponse = z.infer<typeof auditVerifyResponse>;

export function toAuditEntryResponse(entry: AuditEntry): AuditEntryResponse {
  return {
    id: entry._id,
    seq: entry.seq,
    organizationId: entry.organizationId ?? null,
    actorId: entry.actorId ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    changes: entry.changes ?? null,
    metadata: entry.metadata ?? null,
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    at: entry.at.toISOString(),
    hash: entry.hash,
    prevHash: entry.prevHash,
  };
}
