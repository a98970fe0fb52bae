import { dedupKeys } from './dedup';
import type { ParsedStatementLine } from './statement';

const line = (overrides: Partial<ParsedStatementLine>): ParsedStatementLine => ({
  lineNo: 1,
  bookingDate: '2026-03-02',
  valueDate: null,
  amount: -4500,
  currency: null,
  text: 'ICA Maxi',
  reference: null,
  counterpartyName: null,
  bankReference: null,
  endToEndId: null,
  balance: null,
  transactionCode: null,
  ...overrides,
});

describe('dedupKeys', () => {
  it('is stable: the same file gives the same keys', () => {
    const file = [line({}), line({ amount: -100 }), line({ bankReference: 'X1' })];
    expect(dedupKeys('A000001', file)).toEqual(dedupKeys('A000001', file));
  });

  it('uses the bank reference when there is one, whatever the text', () => {
    const [a] = dedupKeys('A000001', [line({ bankReference: 'REF-1', text: 'one' })]);
    const [b] = dedupKeys('A000001', [line({ bankReference: 'REF-1', text: 'other text', amount: -1 })]);
    expect(a).toBe(b);
  });

  it('keeps identical rows in one file apart by their occurrence, and finds them again on re-import', () => {
    const keys = dedupKeys('A000001', [line({ lineNo: 1 }), line({ lineNo: 2 })]);
    expect(new Set(keys).size).toBe(2);
    // An overlapping later file containing the same two coffees (plus a new line) reproduces both keys.
    const again = dedupKeys('A000001', [
      line({ lineNo: 7, text: '  ica   MAXI ' }),
      line({ lineNo: 8, text: 'ICA MAXI' }),
      line({ lineNo: 9 }),
    ]);
    expect(again.slice(0, 2)).toEqual(keys);
    expect(keys).not.toContain(again[2]);
  });

  it('differs per account, amount, date and end-to-end id', () => {
    const base = dedupKeys('A000001', [line({})])[0];
    expect(dedupKeys('A000002', [line({})])[0]).not.toBe(base);
    expect(dedupKeys('A000001', [line({ amount: -4501 })])[0]).not.toBe(base);
    expect(dedupKeys('A000001', [line({ bookingDate: '2026-03-03' })])[0]).not.toBe(base);
    expect(dedupKeys('A000001', [line({ endToEndId: 'E2E-1' })])[0]).not.toBe(
      dedupKeys('A000001', [line({ endToEndId: 'E2E-2' })])[0],
    );
  });
});
