import { normalizeSwedishPostalCode } from './billing.validation';

describe('Swedish postal code', () => {
  it('normalizes NNN NN with or without the space', () => {
    expect(normalizeSwedishPostalCode('41301')).toBe('413 01');
    expect(normalizeSwedishPostalCode(' 413 01 ')).toBe('413 01');
  });

  it('refuses other shapes', () => {
    for (const bad of ['4130', '413011', '413-01', 'abc de', ''])
      expect(normalizeSwedishPostalCode(bad)).toBeNull();
  });
});
