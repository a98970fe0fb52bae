import { maskPolicyNumber, nextRenewal, yearlyPremium } from './policy-rules';

describe('insurance policy rules', () => {
  it('turns a premium per period into a premium per year', () => {
    expect(yearlyPremium(25_000, 'monthly')).toBe(300_000);
    expect(yearlyPremium(60_000, 'quarterly')).toBe(240_000);
    expect(yearlyPremium(100_000, 'half_yearly')).toBe(200_000);
    expect(yearlyPremium(189_900, 'yearly')).toBe(189_900);
    expect(yearlyPremium(null, 'monthly')).toBe(0);
  });

  it('keeps a renewal date today or later, and rolls a passed one to the same day a year on', () => {
    expect(nextRenewal(null, '2026-06-10')).toBeNull();
    expect(nextRenewal('2026-06-10', '2026-06-10')).toBe('2026-06-10');
    expect(nextRenewal('2026-06-11', '2026-06-10')).toBe('2026-06-11');
    expect(nextRenewal('2026-06-09', '2026-06-10')).toBe('2027-06-09');
    expect(nextRenewal('2020-12-31', '2026-06-10')).toBe('2026-12-31');
    expect(nextRenewal('2020-01-31', '2026-06-10')).toBe('2027-01-31');
  });

  it('renews a 29 February policy on 28 February in other years and on the 29th in leap years', () => {
    expect(nextRenewal('2024-02-29', '2024-03-01')).toBe('2025-02-28');
    expect(nextRenewal('2024-02-29', '2027-03-01')).toBe('2028-02-29');
    expect(nextRenewal('2024-02-29', '2028-02-29')).toBe('2028-02-29');
  });

  it('masks a policy number to its last four characters', () => {
    expect(maskPolicyNumber('HF-1234-5678')).toBe('•••• 5678');
    expect(maskPolicyNumber('1234')).toBe('••••');
    expect(maskPolicyNumber('12')).toBe('••••');
  });
});
