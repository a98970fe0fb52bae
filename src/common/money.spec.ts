import { formatMoney } from './money';

const NBSP = '\u00a0';
const MINUS = '\u2212';

describe('formatMoney', () => {
  // Intl puts U+00A0 wherever a space separates parts of an amount, in English too (`SEK 1,234.56`).
  it.each([
    [123456, `1${NBSP}234,56${NBSP}kr`],
    [0, `0,00${NBSP}kr`],
    [1, `0,01${NBSP}kr`],
    [100, `1,00${NBSP}kr`],
    [12300, `123,00${NBSP}kr`],
    [100000000, `1${NBSP}000${NBSP}000,00${NBSP}kr`],
    [-123456, `${MINUS}1${NBSP}234,56${NBSP}kr`],
    [-5, `${MINUS}0,05${NBSP}kr`],
  ])('sv (the default): %i öre is %j', (ore, text) => {
    expect(formatMoney(ore)).toBe(text);
    expect(formatMoney(ore, { locale: 'sv', currency: 'SEK' })).toBe(text);
  });

  it.each([
    [123456, `SEK${NBSP}1,234.56`],
    [0, `SEK${NBSP}0.00`],
    [1, `SEK${NBSP}0.01`],
    [100, `SEK${NBSP}1.00`],
    [100000000, `SEK${NBSP}1,000,000.00`],
    [-123456, `-SEK${NBSP}1,234.56`],
  ])('en: %i öre is %j', (ore, text) => {
    expect(formatMoney(ore, { locale: 'en' })).toBe(text);
  });

  it('never rounds a large amount through floating point', () => {
    expect(formatMoney(9007199254740991, { locale: 'en' })).toBe(`SEK${NBSP}90,071,992,547,409.91`);
  });

  it('takes minor units of the currency asked for', () => {
    expect(formatMoney(123456, { currency: 'EUR' })).toBe(`1${NBSP}234,56${NBSP}€`);
    expect(formatMoney(123456, { currency: 'EUR', locale: 'en' })).toBe('€1,234.56');
    expect(formatMoney(1234, { currency: 'JPY', locale: 'en' })).toBe('JP¥1,234');
  });

  it('shows integers past 2^53 exactly as stored (a hostile webhook amount must not break a banner)', () => {
    expect(formatMoney(1e20)).toBe('1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000,00\u00a0kr');
  });

  it('refuses what is not a whole number of minor units', () => {
    expect(() => formatMoney(12.5)).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN)).toThrow(RangeError);
  });
});
