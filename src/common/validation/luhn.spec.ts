import { luhnValid, normalizePersonnummer } from './luhn';

describe('luhn', () => {
  it('checks mod-10 digits', () => {
    expect(luhnValid('8112189876')).toBe(true);
    expect(luhnValid('8112189875')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('81121a9876')).toBe(false);
  });
});

describe('personnummer', () => {
  const today = new Date('2026-11-21T00:00:00Z');
  it('normalizes valid numbers in every spelling', () => {
    expect(normalizePersonnummer('811218-9876', today)).toBe('198112189876');
    expect(normalizePersonnummer('8112189876', today)).toBe('198112189876');
    expect(normalizePersonnummer('19811218-9876', today)).toBe('198112189876');
    expect(normalizePersonnummer('811218+9876', today)).toBe('188112189876');
  });
  it('accepts a samordningsnummer (day + 60)', () => {
    expect(normalizePersonnummer('701063-2391', today)).toBe('197010632391');
  });
  it('refuses a wrong check digit or an impossible date', () => {
    expect(normalizePersonnummer('811218-9875', today)).toBeNull();
    expect(normalizePersonnummer('811318-9876', today)).toBeNull();
    expect(normalizePersonnummer('hello', today)).toBeNull();
  });
});
