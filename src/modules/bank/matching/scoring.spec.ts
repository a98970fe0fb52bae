import {
  amountTolerance,
  confidence,
  confidenceAmong,
  confidenceOf,
  dateScore,
  evidence,
  oddsWeight,
  SCORE_VERSION,
} from './scoring';
import type { MatchSignals } from './types';
import { whyText } from './why';

const signals = (overrides: Partial<MatchSignals> = {}): MatchSignals => ({
  reference: null,
  amount: { kind: 'exact', differenceOre: 0, toleranceOre: 1250 },
  date: { days: 0, relativeTo: 'due_date', score: 1 },
  name: null,
  history: null,
  ...overrides,
});

describe('scoring v2', () => {
  it('has a version', () => {
    expect(SCORE_VERSION).toBe('v3');
  });

  it('amount tolerance: 1 %, at least 1 kr, at most 100 kr', () => {
    expect(amountTolerance(5_000)).toBe(100);
    expect(amountTolerance(125_000)).toBe(1_250);
    expect(amountTolerance(-125_000)).toBe(1_250);
    expect(amountTolerance(5_000_000)).toBe(10_000);
  });

  it('date score: 1 in the normal window, linear to 0 at the block edge', () => {
    expect(dateScore(0, 'bill')).toBe(1);
    expect(dateScore(-10, 'bill')).toBe(1);
    expect(dateScore(3, 'bill')).toBe(1);
    expect(dateScore(24, 'bill')).toBeCloseTo(0.5, 5);
    expect(dateScore(45, 'bill')).toBe(0);
    expect(dateScore(-35, 'bill')).toBeCloseTo(0.5, 5);
    expect(dateScore(-60, 'bill')).toBe(0);
    expect(dateScore(-99, 'bill')).toBe(0);
    expect(dateScore(2, 'transaction')).toBe(1);
    expect(dateScore(8, 'transaction')).toBeCloseTo(0.5, 5);
    expect(dateScore(-14, 'transaction')).toBe(0);
  });

  it('documented examples', () => {
    expect(confidence(signals({ reference: { kind: 'ocr', value: '12345678903' } }))).toBe(0.9985);
    expect(confidence(signals({ name: { similarity: 0.9, matched: 'Vattenfall' } }))).toBe(0.9759);
    expect(confidence(signals())).toBe(0.7311);
    expect(
      confidence(signals({ date: { days: 30, relativeTo: 'due_date', score: dateScore(30, 'bill') } })),
    ).toBeCloseTo(0.276, 3);
    // … but a bill its OCR number names is not held back by lateness
    expect(
      confidence(
        signals({
          reference: { kind: 'ocr', value: '12345678903' },
          date: { days: 30, relativeTo: 'due_date', score: dateScore(30, 'bill') },
        }),
      ),
    ).toBeGreaterThan(0.99);
  });

  it('a name that does not resemble counts against; a card purchase against a bill unless the name is clear', () => {
    const base = confidence(signals());
    expect(confidence(signals({ name: { similarity: 0.1, matched: 'Bahnhof' } }))).toBeLessThan(0.5);
    expect(confidence(signals({ cardPurchase: true }))).toBeLessThan(0.1);
    expect(
      confidence(signals({ cardPurchase: true, name: { similarity: 0.95, matched: 'Netflix' } })),
    ).toBeGreaterThan(base);
    expect(
      confidence(signals({ cardPurchase: true, reference: { kind: 'ocr', value: '12345678903' } })),
    ).toBeGreaterThan(0.99);
  });

  it('a candidate among others: its share of the odds; alone, the logistic', () => {
    const z = 3.9;
    expect(confidenceAmong(z, oddsWeight(z))).toBe(confidenceOf(z));
    // two candidates that explain the line equally well: neither is claimed
    expect(confidenceAmong(z, 2 * oddsWeight(z))).toBeLessThan(0.5);
    expect(confidenceAmong(z, 2 * oddsWeight(z))).toBeCloseTo(0.495, 3);
    // a weak rival costs little
    expect(confidenceAmong(6.5, oddsWeight(6.5) + oddsWeight(-0.5))).toBeGreaterThan(0.99);
  });

  it('each signal moves the confidence the right way', () => {
    const base = confidence(signals());
    expect(confidence(signals({ reference: { kind: 'invoice_number', value: '4711' } }))).toBeGreaterThan(
      base,
    );
    expect(
      confidence(signals({ amount: { kind: 'within_tolerance', differenceOre: 500, toleranceOre: 1250 } })),
    ).toBeLessThan(base);
    expect(
      confidence(signals({ amount: { kind: 'different', differenceOre: 50_000, toleranceOre: 1250 } })),
    ).toBeLessThan(0.2);
    expect(confidence(signals({ name: { similarity: 0.4, matched: 'x' } }))).toBe(base); // below 0.5 does not count
    expect(confidence(signals({ history: { approved: 3, rejected: 0 } }))).toBeGreaterThan(base);
    expect(confidence(signals({ history: { approved: 9, rejected: 0 } }))).toBe(
      confidence(signals({ history: { approved: 4, rejected: 0 } })),
    );
    expect(confidence(signals({ history: { approved: 0, rejected: 1 } }))).toBeLessThan(base);
  });

  it('confidence is the logistic of the evidence, within 0–1', () => {
    expect(confidenceOf(0)).toBe(0.5);
    expect(confidenceOf(50)).toBe(1);
    expect(confidenceOf(-50)).toBe(0);
    expect(evidence(signals()).z).toBeCloseTo(1, 10);
  });
});

describe('whyText', () => {
  it('names the signals that counted, in Swedish and English', () => {
    const why = whyText(
      signals({
        reference: { kind: 'ocr', value: '1234567890123' },
        date: { days: 2, relativeTo: 'due_date', score: 1 },
        history: { approved: 3, rejected: 0 },
      }),
    );
    expect(why.sv).toBe(
      'OCR 1234567890… stämmer exakt, beloppet stämmer, 2 dagar efter förfallodag, 3 tidigare godkända matchningar för motparten',
    );
    expect(why.en).toBe(
      'OCR 1234567890… matches exactly, the amount matches, 2 days after the due date, 3 earlier approved matches for this counterparty',
    );
  });

  it('tolerance, names, transactions and rejections', () => {
    const why = whyText(
      signals({
        amount: { kind: 'within_tolerance', differenceOre: 1250, toleranceOre: 5000 },
        date: { days: -1, relativeTo: 'date', score: 1 },
        name: { similarity: 0.874, matched: 'Vattenfall AB' },
        history: { approved: 1, rejected: 1 },
      }),
    );
    expect(why.sv).toBe(
      'Beloppet avviker 12,50\u00a0kr, 1 dag före transaktionens datum, namnet liknar "Vattenfall AB" (87 %), 1 tidigare godkänd matchning, 1 avvisad för motparten',
    );
    expect(why.en).toBe(
      'The amount differs by SEK\u00a012.50, 1 day before the transaction\'s date, the name resembles "Vattenfall AB" (87%), 1 earlier approved match, 1 rejected for this counterparty',
    );
  });

  it('leaves out what did not count', () => {
    const why = whyText(
      signals({
        date: { days: 50, relativeTo: 'due_date', score: 0 },
        name: { similarity: 0.3, matched: 'Fortum' },
      }),
    );
    expect(why).toEqual({
      sv: 'Beloppet stämmer, betald 50 dagar efter förfallodagen',
      en: 'The amount matches, paid 50 days after the due date',
    });
    expect(
      whyText(
        signals({
          date: { days: 0, relativeTo: 'due_date', score: 1 },
          name: { similarity: 1, matched: 'Telia' },
        }),
      ).sv,
    ).toBe('Beloppet stämmer, på förfallodagen, namnet stämmer med "Telia"');
  });

  it('says what counted against: a name that does not resemble, a card purchase; and names the rivals', () => {
    const why = whyText(
      signals({
        date: { days: 1, relativeTo: 'due_date', score: 1 },
        name: { similarity: 0, matched: 'Hi3G Access AB' },
        cardPurchase: true,
        rivals: [{ type: 'bill', id: 'B2', label: 'Tre, faktura 2' }],
      }),
    );
    expect(why.sv).toBe(
      'Beloppet stämmer, 1 dag efter förfallodag, namnet liknar inte "Hi3G Access AB", ett kortköp, inte en betalning av räkningen, men även "Tre, faktura 2" passar nästan lika bra eller bättre',
    );
    expect(why.en).toBe(
      'The amount matches, 1 day after the due date, the name does not resemble "Hi3G Access AB", a card purchase, not a payment of the bill, but "Tre, faktura 2" fits almost as well or better',
    );
    const two = whyText(
      signals({
        rivals: [
          { type: 'bill', id: 'B2', label: 'Ellevio' },
          { type: 'bill', id: 'B3', label: 'Fortum' },
        ],
      }),
    );
    expect(two.en).toBe(
      'The amount matches, on the due date, but "Ellevio" and "Fortum" fit almost as well or better',
    );
    expect(two.sv).toContain('men även "Ellevio" och "Fortum" passar');
  });
});
