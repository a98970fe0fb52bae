/**
 * Booking templates: which accounts a bank match debits and credits (BAS kontoplan). Amounts are öre, always
 * positive on the side they stand; every voucher balances (sum of debits = sum of credits).
 *
 * | match                                   | debit                              | credit                             |
 * |-----------------------------------------|------------------------------------|------------------------------------|
 * | bill paid (money out), supplier debt    | 2440 Leverantörsskulder            | bank account's ledger account (1930) |
 * | bill paid, `billBooking: 'expense'`      | bill's category account (or 6990)  | bank (1930)                        |
 * | expense transaction (money out)         | category's BAS account (or 6990)   | bank (1930)                        |
 * | income transaction (money in)           | bank (1930)                        | category's BAS account (or 3990)   |
 *
 * `supplier_debt` (fakturametoden, the default) assumes the supplier invoice itself was booked when it arrived
 * (debit cost, credit 2440); the payment then clears the debt. `expense` (kontantmetoden, common for households and
 * small associations) books the cost at payment instead. Fallback accounts when a category has no BAS account:
 * 6990 Övriga externa kostnader (expense), 3990 Övriga ersättningar och intäkter (income).
 * A correction (rättelse) has the original's rows with debit and credit swapped.
 */

export interface LedgerAccount {
  account: string;
  name: string;
}

export const DEFAULT_ACCOUNTS = {
  bank: { account: '1930', name: 'Företagskonto/checkkonto/affärskonto' },
  supplierDebt: { account: '2440', name: 'Leverantörsskulder' },
  expense: { account: '6990', name: 'Övriga externa kostnader' },
  income: { account: '3990', name: 'Övriga ersättningar och intäkter' },
} as const satisfies Record<string, LedgerAccount>;

export type BillBooking = 'supplier_debt' | 'expense';

export interface VoucherRow {
  account: string;
  accountName: string;
  /** öre, ≥ 0 */
  debit: number;
  /** öre, ≥ 0 */
  credit: number;
  categoryId: string | null;
}

export interface CategoryAccount {
  id: string;
  name: string;
  kind: 'income' | 'expense';
  basAccount: string | null;
}

export class UnbalancedVoucherError extends Error {}

function row(
  account: LedgerAccount,
  debit: number,
  credit: number,
  categoryId: string | null = null,
): VoucherRow {
  return { account: account.account, accountName: account.name, debit, credit, categoryId };
}

function categoryAccount(category: CategoryAccount | null, kind: 'income' | 'expense'): LedgerAccount {
  if (category?.basAccount) return { account: category.basAccount, name: category.name };
  return kind === 'income' ? DEFAULT_ACCOUNTS.income : DEFAULT_ACCOUNTS.expense;
}

/** A bill paid from the bank: `amount` is what left the account (öre, > 0). */
export function billPaymentRows(input: {
  amount: number;
  bank: LedgerAccount;
  billBooking: BillBooking;
  category: CategoryAccount | null;
}): VoucherRow[] {
  assertAmount(input.amount);
  const debitSide =
    input.billBooking === 'supplier_debt'
      ? row(DEFAULT_ACCOUNTS.supplierDebt, input.amount, 0)
      : row(categoryAccount(input.category, 'expense'), input.amount, 0, input.category?.id ?? null);
  return checked([debitSide, row(input.bank, 0, input.amount)]);
}

/** A bank line matched to (or booked as) a transaction: `amount` is the line's signed amount in öre. */
export function transactionRows(input: {
  amount: number;
  bank: LedgerAccount;
  category: CategoryAccount | null;
}): VoucherRow[] {
  assertAmount(Math.abs(input.amount));
  const abs = Math.abs(input.amount);
  const categoryId = input.category?.id ?? null;
  if (input.amount > 0) {
    return checked([
      row(input.bank, abs, 0),
      row(categoryAccount(input.category, 'income'), 0, abs, categoryId),
    ]);
  }
  return checked([
    row(categoryAccount(input.category, 'expense'), abs, 0, categoryId),
    row(input.bank, 0, abs),
  ]);
}

/** The rows of a correction: every row of the original with debit and credit swapped. */
export function reversedRows(rows: readonly VoucherRow[]): VoucherRow[] {
  return checked(rows.map((r) => ({ ...r, debit: r.credit, credit: r.debit })));
}

export function assertBalanced(rows: readonly VoucherRow[]): void {
  if (rows.length < 2) throw new UnbalancedVoucherError('A voucher needs at least two rows');
  let debit = 0;
  let credit = 0;
  for (const r of rows) {
    if (!Number.isSafeInteger(r.debit) || !Number.isSafeInteger(r.credit) || r.debit < 0 || r.credit < 0) {
      throw new UnbalancedVoucherError(`Row ${r.account}: amounts must be non-negative whole öre`);
    }
    if ((r.debit === 0) === (r.credit === 0))
      throw new UnbalancedVoucherError(`Row ${r.account}: exactly one of debit/credit`);
    if (!/^\d{4}$/.test(r.account))
      throw new UnbalancedVoucherError(`Row account ${r.account} is not a 4-digit BAS account`);
    debit += r.debit;
    credit += r.credit;
  }
  if (debit !== credit) throw new UnbalancedVoucherError(`Debit ${debit} ≠ credit ${credit}`);
}

function checked(rows: VoucherRow[]): VoucherRow[] {
  assertBalanced(rows);
  return rows;
}

function assertAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new UnbalancedVoucherError(`Not a positive amount in öre: ${amount}`);
}
