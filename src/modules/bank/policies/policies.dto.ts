import { z } from 'zod';
import { createZodDto, fitsView, pageResponse } from '../../../common/http/zod';
import type { PolicyView } from './policies.service';

export class UpdateBankPolicyDto extends createZodDto(z.strictObject({ autoEnabled: z.boolean() })) {}

const instant = z.iso.datetime();
const policyResponse = fitsView<PolicyView>()(
  z.object({
    id: z.string(),
    counterpartyKey: z.string(),
    label: z.string(),
    supplierId: z.string().nullable(),
    approvedCount: z.number().int(),
    rejectedCount: z.number().int(),
    undoneCount: z.number().int(),
    autoBookedCount: z.number().int(),
    approvalsSinceSetback: z.number().int(),
    lastSetbackAt: instant.nullable(),
    threshold: z.number().int().describe('Approvals in a row needed before automatic booking may be enabled'),
    autoEnabled: z.boolean(),
    autoActive: z
      .boolean()
      .describe(
        'Enabled and no reject/undo since: new lines of this counterparty may be booked automatically',
      ),
    canEnable: z.boolean().describe('Whether enabling would be accepted now'),
    autoEnabledAt: instant.nullable(),
    autoEnabledBy: z.string().nullable(),
    autoDisabledAt: instant.nullable(),
    autoDisabledReason: z.string().nullable(),
    createdAt: instant,
  }),
);
export class BankPolicyResponseDto extends createZodDto(policyResponse) {}
export class BankPolicyPageResponseDto extends createZodDto(pageResponse(policyResponse)) {}
