import { createZodDto, fitsView } from '../../../common/http/zod';
import type { PolicyView } from './policies.service';
import { z } from 'zod';
import {
  amount,
  calendarDate,
  currency,
  MAX_AMOUNT,
  multilineText,
  pageQuery,
  recordId,
  text,
} from '../../../common/http/zod';
import { undoPayloadSchema } from '../../trash/trash.undo';
import { POLICY_TYPES, PREMIUM_PERIODS } from '../common/policy-kinds';

const money0 = z.number().int('must be whole öre').min(0).max(MAX_AMOUNT);

const policyFields = {
  insurerId: recordId
    .nullable()
    .optional()
    .describe('The insurer: a supplier of the organization (or insurerName)'),
  insurerName: text(120).nullable().optional().describe('The insurer as free text when it is no supplier'),
  policyNumber: text(60)
    .nullable()
    .optional()
    .describe('Försäkringsnummer: stored encrypted, shown in full to members and up, masked to viewers'),
  type: z.enum(POLICY_TYPES),
  premium: amount.nullable().optional().describe('Öre per premium period'),
  premiumPeriod: z.enum(PREMIUM_PERIODS).optional().describe('Default yearly'),
  currency: currency.optional().describe('Default SEK'),
  renewalDate: calendarDate
    .nullable()
    .optional()
    .describe('Huvudförfallodag: the day the policy renews (a passed one rolls on a year at a time)'),
  coverageText: multilineText(2000).nullable().optional().describe('What the policy covers'),
  coverageAmount: amount.nullable().optional().describe('Sum insured (försäkringsbelopp) in öre'),
  deductible: money0.nullable().optional().describe('Självrisk in öre'),
  carId: recordId.nullable().optional().describe('The car it covers: a car of the organization (or item)'),
  item: text(200).nullable().optional().describe('The item it covers, as free text (or carId)'),
  notes: multilineText(2000).nullable().optional(),
  reminderLeadDays: z
    .array(z.number().int().min(0).max(365))
    .max(5)
    .nullable()
    .optional()
    .describe('Days before the renewal to be reminded (default [30, 7]); [] for none'),
};

export class CreatePolicyDto extends createZodDto(
  z.strictObject(policyFields).meta({
    example: {
      type: 'home',
      insurerName: 'Folksam',
      policyNumber: '123-456-789',
      premium: 28_500,
      premiumPeriod: 'monthly',
      renewalDate: '2027-04-01',
      deductible: 150_000,
    },
  }),
) {}

export class UpdatePolicyDto extends createZodDto(
  z
    .strictObject({ ...policyFields, type: policyFields.type.optional() })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}

export class ListPoliciesQueryDto extends createZodDto(
  pageQuery.extend({ type: z.enum(POLICY_TYPES).optional() }),
) {}

const policy = fitsView<PolicyView>()(
  z.object({
    id: z.string(),
    insurerId: z.string().nullable(),
    insurerName: z.string().nullable(),
    policyNumber: z.string().nullable().describe('In full for members and up; `•••• 5678` for viewers'),
    policyNumberMasked: z.boolean(),
    type: z.enum(POLICY_TYPES),
    premium: z.number().int().nullable(),
    premiumPeriod: z.enum(PREMIUM_PERIODS),
    yearlyPremium: z.number().int(),
    currency: z.string(),
    renewalDate: z.string().nullable(),
    nextRenewal: z.string().nullable().describe('The renewal date, or its next yearly return once passed'),
    coverageText: z.string().nullable(),
    coverageAmount: z.number().int().nullable(),
    deductible: z.number().int().nullable(),
    carId: z.string().nullable(),
    item: z.string().nullable(),
    notes: z.string().nullable(),
    reminderLeadDays: z.array(z.number().int()).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export class PolicyResponseDto extends createZodDto(policy) {}
export class PolicyPageResponseDto extends createZodDto(
  z.object({ items: z.array(policy), nextCursor: z.string().nullable() }),
) {}
export class DeletedPolicyResponseDto extends createZodDto(undoPayloadSchema) {}
