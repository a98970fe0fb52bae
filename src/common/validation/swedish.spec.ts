import {
  normalizeBankgiro,
  normalizeOcr,
  normalizeOrgNumber,
  normalizePlusgiro,
  ocrHasLengthDigit,
} from './swedish';

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

describe('Swedish payment references: edge cases', () => {
  it('OCR: length digit is the length mod 10; 2–25 digits; separators ignored', () => {
    // 10 digits: the length digit is 0
    expect(normalizeOcr('1234567806', { requireLengthDigit: true })).toBe('1234567806');
    expect(ocrHasLengthDigit('1234567806')).toBe(true);
    expect(ocrHasLengthDigit('133')).toBe(true);
    expect(ocrHasLengthDigit('18')).toBe(false); // too short to carry one
    expect(normalizeOcr('1111111111111111111111114')).toBe('1111111111111111111111114'); // 25 digits
    expect(normalizeOcr('11111111111111111111111112')).toBeNull(); // 26 digits
    expect(normalizeOcr('1234-5678.97')).toBe('1234567897');
    expect(normalizeOcr('')).toBeNull();
    expect(normalizeOcr('-1234567897')).toBe('1234567897'); // a dash is only a separator, never a sign
  });

  it('bankgiro: 7 digits print as NNN-NNNN', () => {
    expect(normalizeBankgiro('991-2346')).toBe('991-2346');
    expect(normalizeBankgiro('9912346')).toBe('991-2346');
    expect(normalizeBankgiro('991-2345')).toBeNull();
    expect(normalizeBankgiro('123456789')).toBeNull(); // 9 digits
    expect(normalizeBankgiro('5050 1055')).toBe('5050-1055');
  });

  it('plusgiro: from 2 digits, dash before the check digit', () => {
    expect(normalizePlusgiro('18')).toBe('1-8');
    expect(normalizePlusgiro('1')).toBeNull();
    expect(normalizePlusgiro('123456789')).toBeNull(); // 9 digits
  });

  it('organisationsnummer: only the 16 century prefix, 10 digits otherwise', () => {
    expect(normalizeOrgNumber('16556036-0793')).toBe('556036-0793');
    expect(normalizeOrgNumber('5560360793')).toBe('556036-0793');
    expect(normalizeOrgNumber('195560360793')).toBeNull();
    expect(normalizeOrgNumber('556036-079')).toBeNull();
    expect(normalizeOrgNumber('55603607931')).toBeNull();
  });
});
