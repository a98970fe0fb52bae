import {
  assertBalanced,
  billPaymentRows,
  DEFAULT_ACCOUNTS,
  reversedRows,
  transactionRows,
  UnbalancedVoucherError,
} from './booking-templates';
import { decodeCp437, encodeCp437 } from './cp437';
import { fiscalYearOf, fiscalYearRange } from './fiscal-year';
import { sieQuote, writeSie4 } from './sie4.writer';

const bank = DEFAULT_ACCOUNTS.bank;

describe('booking templates', () => {
  it('bill payment clears supplier debt: D 2440 / K 1930', () => {
    expect(billPaymentRows({ amount: 125_000, bank, billBooking: 'supplier_debt', category: null })).toEqual([
      { account: '2440', accountName: 'Leverantörsskulder', debit: 125_000, credit: 0, categoryId: null },
      {
        account: '1930',
        accountName: 'Företagskonto/checkkonto/affärskonto',
        debit: 0,
        credit: 125_000,
        categoryId: null,
      },
    ]);
  });

  it('bill payment with the cash method books the cost (category account, else 6990)', () => {
    const category = { id: 'C1', name: 'El', kind: 'expense' as const, basAccount: '5020' };
    expect(billPaymentRows({ amount: 100, bank, billBooking: 'expense', category })[0]).toMatchObject({
      account: '5020',
      accountName: 'El',
      categoryId: 'C1',
      debit: 100,
    });
    expect(billPaymentRows({ amount: 100, bank, billBooking: 'expense', category: null })[0]).toMatchObject({
      account: '6990',
      debit: 100,
    });
  });

  it('transactions: money out D category / K bank, money in D bank / K category, fallbacks 6990/3990', () => {
    const food = { id: 'C2', name: 'Livsmedel', kind: 'expense' as const, basAccount: null };
    expect(
      transactionRows({ amount: -4_500, bank, category: food }).map((r) => [r.account, r.debit, r.credit]),
    ).toEqual([
      ['6990', 4_500, 0],
      ['1930', 0, 4_500],
    ]);
    const fees = { id: 'C3', name: 'Medlemsavgifter', kind: 'income' as const, basAccount: '3890' };
    expect(
      transactionRows({ amount: 20_000, bank, category: fees }).map((r) => [r.account, r.debit, r.credit]),
    ).toEqual([
      ['1930', 20_000, 0],
      ['3890', 0, 20_000],
    ]);
    expect(transactionRows({ amount: 1, bank, category: null })[1]).toMatchObject({ account: '3990' });
  });

  it('a correction swaps debit and credit and still balances', () => {
    const original = billPaymentRows({ amount: 125_000, bank, billBooking: 'supplier_debt', category: null });
    expect(reversedRows(original).map((r) => [r.account, r.debit, r.credit])).toEqual([
      ['2440', 0, 125_000],
      ['1930', 125_000, 0],
    ]);
  });

  it('refuses unbalanced or malformed rows', () => {
    const r = (account: string, debit: number, credit: number) => ({
      account,
      accountName: 'x',
      debit,
      credit,
      categoryId: null,
    });
    expect(() => assertBalanced([r('1930', 100, 0), r('2440', 0, 99)])).toThrow(UnbalancedVoucherError);
    expect(() => assertBalanced([r('1930', 100, 0)])).toThrow(UnbalancedVoucherError);
    expect(() => assertBalanced([r('1930', 100, 100), r('2440', 0, 0)])).toThrow(UnbalancedVoucherError);
    expect(() => assertBalanced([r('19300', 100, 0), r('2440', 0, 100)])).toThrow(UnbalancedVoucherError);
    expect(() => assertBalanced([r('1930', 0.5, 0), r('2440', 0, 0.5)])).toThrow(UnbalancedVoucherError);
    expect(() => billPaymentRows({ amount: 0, bank, billBooking: 'supplier_debt', category: null })).toThrow(
      UnbalancedVoucherError,
    );
  });
});

describe('fiscal years', () => {
  it('calendar year by default, broken years named by their start year', () => {
    expect(fiscalYearOf('2026-03-02')).toBe(2026);
    expect(fiscalYearOf('2026-03-02', 7)).toBe(2025);
    expect(fiscalYearOf('2026-07-01', 7)).toBe(2026);
    expect(fiscalYearRange(2026)).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(fiscalYearRange(2026, 7)).toEqual({ start: '2026-07-01', end: '2027-06-30' });
    expect(fiscalYearRange(2023, 3)).toEqual({ start: '2023-03-01', end: '2024-02-29' });
  });
});

describe('CP437', () => {
  it('encodes the Swedish letters to their PC8 bytes', () => {
    expect([...encodeCp437('åäöÅÄÖéüÉÜ')]).toEqual([
      0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, 0x82, 0x81, 0x90, 0x9a,
    ]);
    expect([...encodeCp437('A-z 0')]).toEqual([0x41, 0x2d, 0x7a, 0x20, 0x30]);
  });

  it('turns what CP437 lacks into ?, control characters into spaces, keeps line ends', () => {
    expect(encodeCp437('5 € — x').toString('latin1')).toBe('5 ? ? x');
    expect([...encodeCp437('a\tb\r\n')]).toEqual([0x61, 0x20, 0x62, 0x0d, 0x0a]);
    expect(encodeCp437('e\u0301').length).toBe(1); // decomposed é is composed first
  });

  it('round-trips the whole upper half', () => {
    const all = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    expect(encodeCp437(decodeCp437(all))).toEqual(all);
  });
});

describe('SIE 4 writer', () => {
  const file = writeSie4({
    program: { name: 'WestWallet', version: '0.1.0' },
    generatedAt: new Date('2026-11-21T10:00:00Z'),
    generatedBy: 'Åsa Öberg',
    companyName: 'Föreningen "Björken"',
    orgNumber: '802456-1234',
    fiscalYear: { start: '2026-01-01', end: '2026-12-31' },
    currency: 'SEK',
    vouchers: [
      {
        series: 'B',
        number: 1,
        date: '2026-03-02',
        text: 'Vattenfall AB, OCR 12345678903',
        registeredAt: new Date('2026-03-05T08:00:00Z'),
        rows: billPaymentRows({ amount: 125_050, bank, billBooking: 'supplier_debt', category: null }),
      },
      {
        series: 'B',
        number: 2,
        date: '2026-03-06',
        text: 'Rättelse av B1',
        registeredAt: new Date('2026-03-06T08:00:00Z'),
        rows: reversedRows(
          billPaymentRows({ amount: 125_050, bank, billBooking: 'supplier_debt', category: null }),
        ),
      },
    ],
  });

  it('writes the header, accounts and vouchers with #TRANS rows', () => {
    expect(decodeCp437(file)).toBe(
      [
        '#FLAGGA 0',
        '#PROGRAM "WestWallet" "0.1.0"',
        '#FORMAT PC8',
        '#GEN 20261121 "Åsa Öberg"',
        '#SIETYP 4',
        '#FNAMN "Föreningen \\"Björken\\""',
        '#ORGNR 802456-1234',
        '#RAR 0 20260101 20261231',
        '#VALUTA SEK',
        '#KONTO 1930 "Företagskonto/checkkonto/affärskonto"',
        '#KONTO 2440 "Leverantörsskulder"',
        '#VER B 1 20260302 "Vattenfall AB, OCR 12345678903" 20260305',
        '{',
        '   #TRANS 2440 {} 1250.50',
        '   #TRANS 1930 {} -1250.50',
        '}',
        '#VER B 2 20260306 "Rättelse av B1" 20260306',
        '{',
        '   #TRANS 2440 {} -1250.50',
        '   #TRANS 1930 {} 1250.50',
        '}',
        '',
      ].join('\r\n'),
    );
  });

  it('is CP437 bytes, not UTF-8', () => {
    const idx = file.indexOf(Buffer.from('#GEN 20261121 "'));
    expect(file[idx + 15]).toBe(0x8f); // Å
    expect(file.includes(Buffer.from('Å', 'utf8'))).toBe(false);
  });

  it('quotes and escapes texts', () => {
    expect(sieQuote('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c d"');
  });
});
