import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { email, text } from '../../../common/http/zod';
import { normalizeOrgNumber } from '../../../common/validation/swedish';
import { normalizeSwedishPostalCode } from '../common/billing.validation';

const address = z
  .strictObject({
    line1: text(120),
    line2: text(120, { allowEmpty: true }).nullable().optional(),
    postalCode: text(20),
    city: text(80),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'ISO 3166 alpha-2, e.g. SE')
      .transform((c) => c.toUpperCase())
      .default('SE'),
  })
  .transform((a, ctx) => {
    if (a.country !== 'SE') return { ...a, line2: a.line2 ?? null };
    const postalCode = normalizeSwedishPostalCode(a.postalCode);
    if (!postalCode) {
      ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'a Swedish postnummer is NNN NN' });
      return z.NEVER;
    }
    return { ...a, line2: a.line2 ?? null, postalCode };
  });

export const billingDetailsPatch = z
  .strictObject({
    contactName: text(120).nullable().optional(),
    contactEmail: email.nullable().optional(),
    organizationNumber: z
      .string()
      .max(20)
      .transform((value, ctx) => {
        const normalized = normalizeOrgNumber(value);
        if (!normalized) {
          ctx.addIssue({
            code: 'custom',
            message: 'not a valid organisationsnummer (NNNNNN-NNNN with check digit)',
          });
          return z.NEVER;
        }
        return normalized;
      })
      .nullable()
      .optional()
      .describe('Organisationsnummer NNNNNN-NNNN; checked with its Luhn digit'),
    address: address.nullable().optional(),
    reference: text(120).nullable().optional().describe('"Er referens" on invoices'),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export class UpdateBillingDetailsDto extends createZodDto(billingDetailsPatch) {}
