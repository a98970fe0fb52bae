import { z } from 'zod';
import { createZodDto, fitsView, pageResponse, text } from '../../../common/http/zod';
import type { BankAccountListView, BankAccountView } from './accounts.service';

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

// ---- responses ----

const bankAccountListItem = fitsView<BankAccountListView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    bank: z.string(),
    maskedNumber: z.string().describe('The clearing number and the last four digits: `8327-9 ••••6789`'),
    currency: z.string(),
    ledgerAccount: z.string().describe('BAS account, e.g. 1930'),
    createdAt: z.iso.datetime(),
  }),
);
export class BankAccountPageResponseDto extends createZodDto(pageResponse(bankAccountListItem)) {}

export class BankAccountResponseDto extends createZodDto(
  fitsView<BankAccountView>()(
    bankAccountListItem
      .extend({
        clearingNumber: z.string(),
        accountNumber: z.string().describe('Full for members and up; `•••• 7890` for viewers'),
        numbersMasked: z.boolean(),
      })
      .meta({
        example: {
          id: 'A000100',
          name: 'Företagskonto',
          bank: 'Swedbank',
          maskedNumber: '8327-9 ••••6789',
          currency: 'SEK',
          ledgerAccount: '1930',
          createdAt: '2026-11-02T09:30:00.000Z',
          clearingNumber: '8327-9',
          accountNumber: '123 456 789-0',
          numbersMasked: false,
        },
      }),
  ),
) {}
