import { decimalComma, kronor, longDate, money, percent, periodName, shortMonth } from './format';

describe('report formats', () => {
  it('writes money the Swedish way (and the English way), with plain spaces and a plain minus', () => {
    expect(money(1_234_567, 'sv')).toBe('12 345,67 kr');
    expect(money(-5, 'sv')).toBe('-0,05 kr');
    expect(money(1_234_567, 'en')).toBe('SEK 12,345.67');
    expect(kronor(1_234_567, 'sv')).toBe('12 346 kr');
    expect(kronor(-250_000, 'en')).toBe('-SEK 2,500');
  });

  it('writes dates and periods in words', () => {
    expect(longDate('2026-12-02', 'sv')).toBe('2 december 2026');
    expect(longDate('2026-03-31', 'en')).toBe('31 March 2026');
    expect(periodName('2026-11', 'sv')).toBe('november 2026');
    expect(periodName('2026', 'en')).toBe('2026');
    expect(shortMonth('2026-05', 'sv')).toBe('maj');
    expect(shortMonth('2026-01', 'en', true)).toBe('Jan 26');
  });

  it('writes shares and CSV decimals', () => {
    expect(percent(0.1234, 'sv')).toBe('12,3 %');
    expect(percent(0.1234, 'en')).toBe('12.3%');
    expect(decimalComma(1_234_567)).toBe('12345,67');
    expect(decimalComma(-5)).toBe('-0,05');
    expect(decimalComma(0)).toBe('0,00');
  });
});
