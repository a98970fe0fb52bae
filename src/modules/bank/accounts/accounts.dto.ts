import { createZodDto } from '../../../common/http/zod';
import { z } from 'zod';
import { text } from '../../../common/http/zod';

const basAccount = z.string().regex(/^\d{4}$/, 'must be a 4-digit BAS account');

const accountFields = {
  name: text(120),
  bank: text(120, { allowEmpty: true }).optional(),
  clearingNumber: z.string().trim().min(4).max(10).describe('4 digits, or 5 for Swedbank (8327-9)'),
  accountNumber: z.string().trim().min(1).max(30).describe('Up to 15 digits; spaces and dashes allowed'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .describe('ISO code, default SEK'),
  ledgerAccount: basAccount.optional().describe('BAS account the bank account is booked on, default 1930'),
};
export class CreateBankAccountDto extends createZodDto(z.strictObject(accountFields)) {}
export class UpdateBankAccountDto extends createZodDto(
  z
    .strictObject({
      name: accountFields.name.optional(),
      bank: accountFields.bank,
      clearingNumber: accountFields.clearingNumber.optional(),
      accountNumber: accountFields.accountNumber.optional(),
      currency: accountFields.currency,
      ledgerAccount: accountFields.ledgerAccount,
    })
    .refine((v) => Object.keys(v).length > 0, 'nothing to change'),
) {}
