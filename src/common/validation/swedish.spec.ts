import { normalizeBankgiro, normalizeOcr, normalizeOrgNumber, normalizePlusgiro, ocrHasLengthDigit } from './swedish';

describe('Swedish payment references', () => {
  it('OCR: Luhn check digit, optional length digit', () => {
    expect(normalizeOcr('1234 5678 97')).toBe('1234567897');
    expect(normalizeOcr('1234567898')).toBeNull();
    expect(normalizeOcr('1')).toBeNull();
    expect(normalizeOcr('12a4')).toBeNull();
    // 8 digits, length digit 8 before the check digit
    expect(normalizeOcr('12345682', { requireLengthDigit: true })).toBe('12345682');
    expect(ocrHasLengthDigit('12345682')).toBe(true);
    expect(normalizeOcr('1234567897', { requireLengthDigit: true })).toBeNull();
  });

  it('bankgiro and plusgiro', () => {
    expect(normalizeBankgiro('5050-1055')).toBe('5050-1055');
    expect(normalizeBankgiro('50501055')).toBe('5050-1055');
    expect(normalizeBankgiro('5050-1056')).toBeNull();
    expect(normalizeBankgiro('123')).toBeNull();
    expect(normalizePlusgiro('90 20 03-3')).toBe('902003-3');
    expect(normalizePlusgiro('902003-4')).toBeNull();
  });

  it('organisationsnummer', () => {
    expect(normalizeOrgNumber('556036-0793')).toBe('556036-0793');
    expect(normalizeOrgNumber('165560360793')).toBe('556036-0793');
    expect(normalizeOrgNumber('556036-0794')).toBeNull();
    expect(normalizeOrgNumber('811218-9876')).toBeNull(); // a personnummer: third digit < 2
  });
});
