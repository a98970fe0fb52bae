import { parseAmount } from './amounts';

describe('parseAmount (Swedish bank formats → öre)', () => {
  it.each([
    ['1234,56', 123456],
    ['1 234,56', 123456],
    ['1\u00a0234,56', 123456],
    ['1\u202f234,56', 123456],
    ['1.234,56', 123456],
    ['12 345 678,90', 1234567890],
    ['-1 234,56', -123456],
    ['\u22121 234,56', -123456],
    ['1 234,56-', -123456],
    ['(1 234,56)', -123456],
    ['+500', 50000],
    ['500', 50000],
    ['0,5', 50],
    [',50', 50],
    ['1 234,56 kr', 123456],
    ['-99,00 SEK', -9900],
    ['SEK 12,00', 1200],
    ['12:-', 1200],
  ])('%s → %d öre (decimal comma)', (raw, ore) => {
    expect(parseAmount(raw, ',')).toBe(ore);
  });

  it.each([
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['-0.01', -1],
    ['1250.00', 125000],
  ])('%s → %d öre (decimal point)', (raw, ore) => {
    expect(parseAmount(raw, '.')).toBe(ore);
  });

  it.each(['', 'abc', '12,345', '1.23.4,5', '12,3,4', '1,2345', '1.2345,00', '--5', '12a', '(12'])(
    'refuses %p with a decimal comma',
    (raw) => {
      expect(parseAmount(raw, ',')).toBeNull();
    },
  );

  it('a wrong decimal setting fails instead of scaling by 100', () => {
    // "1234.56" read with a decimal comma would be 123456 kr if dots were blindly dropped.
    expect(parseAmount('1234.56', ',')).toBeNull();
    expect(parseAmount('1234,56', '.')).toBeNull();
  });
});
