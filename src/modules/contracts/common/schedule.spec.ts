import {
  cancellationOutlook,
  ContractTerms,
  costSoFar,
  lastNoticeDayFor,
  nextPayments,
  normalizedCost,
  noticeEnds,
  paymentsBetween,
  priceAt,
  savingsIfCancelledToday,
  termEnd,
} from './schedule';

const monthly = (overrides: Partial<ContractTerms> = {}): ContractTerms => ({
  startDate: '2026-01-15',
  frequency: { unit: 'month', every: 1 },
  prices: [{ from: '2026-01-15', amount: 29_900 }],
  bindingMonths: 0,
  notice: { unit: 'month', count: 1 },
  renewalMonths: null,
  endDate: null,
  ...overrides,
});

describe('payments', () => {
  it('pays on the anchor day, clamped in short months and back on the 31st after them', () => {
    const terms = monthly({ startDate: '2026-01-31' });
    expect(paymentsBetween(terms, '2026-01-01', '2026-05-31').map((p) => p.date)).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(nextPayments(monthly({ startDate: '2027-01-31' }), '2028-02-01', 2).map((p) => p.date)).toEqual([
      '2028-02-29',
      '2028-03-31',
    ]);
  });

  it('includes a payment on the first and on the last day of the range, and none after the end date', () => {
    const terms = monthly();
    expect(paymentsBetween(terms, '2026-02-15', '2026-04-15').map((p) => p.date)).toEqual([
      '2026-02-15',
      '2026-03-15',
      '2026-04-15',
    ]);
    expect(paymentsBetween(terms, '2026-02-16', '2026-04-14').map((p) => p.date)).toEqual(['2026-03-15']);
    expect(paymentsBetween(monthly({ endDate: '2026-03-14' }), '2026-01-01', '2026-12-31')).toHaveLength(2);
  });

  it('pays weekly, quarterly and yearly from the start date', () => {
    const weekly = monthly({ frequency: { unit: 'week', every: 1 }, startDate: '2026-12-28' });
    expect(nextPayments(weekly, '2026-12-29', 2).map((p) => p.date)).toEqual(['2027-01-04', '2027-01-11']);
    const quarterly = monthly({ frequency: { unit: 'month', every: 3 } });
    expect(nextPayments(quarterly, '2026-04-16', 2).map((p) => p.date)).toEqual(['2026-07-15', '2026-10-15']);
    const yearly = monthly({ frequency: { unit: 'month', every: 12 }, startDate: '2024-02-29' });
    expect(nextPayments(yearly, '2025-01-01', 3).map((p) => p.date)).toEqual([
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
    ]);
  });

  it('charges the price step in effect on each payment day (an intro price that steps up)', () => {
    const prices = [
      { from: '2026-01-15', amount: 9_900 },
      { from: '2026-04-15', amount: 19_900 },
    ];
    expect(priceAt(prices, '2026-04-14')).toBe(9_900);
    expect(priceAt(prices, '2026-04-15')).toBe(19_900);
    expect(priceAt(prices, '2025-12-01')).toBe(9_900);
    const amounts = paymentsBetween(monthly({ prices }), '2026-01-01', '2026-06-30').map((p) => p.amount);
    expect(amounts).toEqual([9_900, 9_900, 9_900, 19_900, 19_900, 19_900]);
    expect(costSoFar(monthly({ prices }), '2026-05-14')).toBe(3 * 9_900 + 19_900);
    expect(costSoFar(monthly({ prices }), '2026-02-20', new Map([['2026-02-15', 12_345]]))).toBe(
      9_900 + 12_345,
    );
  });

  it('normalizes the cost per month and year', () => {
    expect(normalizedCost(monthly(), '2026-06-01')).toEqual({ monthly: 29_900, yearly: 358_800 });
    const quarterly = monthly({
      frequency: { unit: 'month', every: 3 },
      prices: [{ from: '2026-01-15', amount: 60_000 }],
    });
    expect(normalizedCost(quarterly, '2026-06-01')).toEqual({ monthly: 20_000, yearly: 240_000 });
    const weekly = monthly({
      frequency: { unit: 'week', every: 1 },
      prices: [{ from: '2026-01-15', amount: 10_000 }],
    });
    expect(normalizedCost(weekly, '2026-06-01')).toEqual({ monthly: 43_481, yearly: 521_775 });
  });
});

describe('notice and terms', () => {
  it('ends a notice a number of days or months after it is given', () => {
    expect(noticeEnds({ unit: 'month', count: 1 }, '2026-01-31')).toBe('2026-02-28');
    expect(noticeEnds({ unit: 'day', count: 30 }, '2026-02-01')).toBe('2026-03-03');
    expect(noticeEnds(null, '2026-02-01')).toBe('2026-02-01');
  });

  it('finds the last notice day for a term end, also where month ends clamp', () => {
    expect(lastNoticeDayFor({ unit: 'month', count: 1 }, '2026-03-30')).toBe('2026-02-28');
    expect(lastNoticeDayFor({ unit: 'month', count: 1 }, '2026-02-28')).toBe('2026-01-31');
    expect(lastNoticeDayFor({ unit: 'month', count: 1 }, '2028-02-29')).toBe('2028-01-31');
    expect(lastNoticeDayFor({ unit: 'month', count: 3 }, '2026-12-14')).toBe('2026-09-14');
    expect(lastNoticeDayFor({ unit: 'day', count: 30 }, '2026-03-01')).toBe('2026-01-30');
  });

  it('counts a 12-month binding from the start, both days included', () => {
    expect(termEnd(monthly({ bindingMonths: 12 }), 0)).toBe('2027-01-14');
    expect(termEnd(monthly({ bindingMonths: 12, renewalMonths: 12 }), 2)).toBe('2029-01-14');
  });
});

describe('cancellation outlook', () => {
  const bound = monthly({ bindingMonths: 12, notice: { unit: 'month', count: 3 }, renewalMonths: 12 });

  it('gives the last day to cancel on the day before, of and after it', () => {
    expect(cancellationOutlook(bound, '2026-10-13')).toMatchObject({
      boundUntil: '2027-01-14',
      lastDayToCancel: '2026-10-14',
      endsIfCancelledToday: '2027-01-14',
      renewsOn: '2027-01-15',
    });
    expect(cancellationOutlook(bound, '2026-10-14').lastDayToCancel).toBe('2026-10-14');
    // One day late: the contract renews, and the next term's deadline is a year later.
    expect(cancellationOutlook(bound, '2026-10-15')).toMatchObject({
      boundUntil: '2028-01-14',
      lastDayToCancel: '2027-10-14',
      renewsOn: '2028-01-15',
    });
  });

  it('finds the current term of a contract renewed many times', () => {
    expect(cancellationOutlook(bound, '2035-06-01')).toMatchObject({
      boundUntil: '2036-01-14',
      lastDayToCancel: '2035-10-14',
    });
  });

  it('lets a contract without renewal run on after the binding period, cancellable any day', () => {
    const terms = monthly({ bindingMonths: 24, notice: { unit: 'month', count: 1 } });
    expect(cancellationOutlook(terms, '2026-06-01')).toEqual({
      boundUntil: '2028-01-14',
      lastDayToCancel: '2027-12-14',
      endsIfCancelledToday: '2028-01-14',
      renewsOn: null,
    });
    // Inside the last month of the binding period the notice runs past it.
    expect(cancellationOutlook(terms, '2028-01-01').endsIfCancelledToday).toBe('2028-02-01');
    expect(cancellationOutlook(terms, '2028-01-15')).toEqual({
      boundUntil: null,
      lastDayToCancel: null,
      endsIfCancelledToday: '2028-02-15',
      renewsOn: null,
    });
  });

  it('saves the payments after the day the contract would end, up to the end of the year', () => {
    const open = monthly({ notice: { unit: 'month', count: 1 } });
    // Notice on 2026-09-01 ends it 2026-10-01: the payments of Oct 15, Nov 15 and Dec 15 are saved.
    expect(savingsIfCancelledToday(open, '2026-09-01')).toBe(3 * 29_900);
    expect(savingsIfCancelledToday(open, '2026-12-01')).toBe(0);
    expect(savingsIfCancelledToday(bound, '2026-03-01')).toBe(0);
  });

  it('ends an ended contract on its end date', () => {
    expect(cancellationOutlook(monthly({ endDate: '2026-05-14' }), '2026-04-01').endsIfCancelledToday).toBe(
      '2026-05-14',
    );
  });
});
