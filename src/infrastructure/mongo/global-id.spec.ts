import { formatGlobalId, isGlobalId, parseGlobalId } from './global-id';
import { isDuplicateKey, isUniqueViolation } from './unique';

describe('global id format', () => {
  it('pads to six digits and grows past 999999', () => {
    expect(formatGlobalId('A', 1)).toBe('A000001');
    expect(formatGlobalId('A', 999999)).toBe('A999999');
    expect(formatGlobalId('A', 1000000)).toBe('A1000000');
    expect(formatGlobalId('WW', 42)).toBe('WW000042');
  });

  it('refuses numbers that are not positive safe integers', () => {
    expect(() => formatGlobalId('A', 0)).toThrow(RangeError);
    expect(() => formatGlobalId('A', 1.5)).toThrow(RangeError);
  });

  it('parses only ids of our prefix and shape, one spelling per number', () => {
    expect(parseGlobalId('A', 'A000001')).toBe(1);
    expect(parseGlobalId('A', 'A1000000')).toBe(1000000);
    expect(parseGlobalId('A', 'B000001')).toBeNull();
    expect(parseGlobalId('A', 'A00001')).toBeNull();
    expect(parseGlobalId('A', 'A0000001')).toBeNull();
    expect(parseGlobalId('A', 'A000000')).toBeNull();
    expect(parseGlobalId('A', 'a000001')).toBeNull();
    expect(isGlobalId('A', 'A123456')).toBe(true);
    expect(isGlobalId('A', 123456)).toBe(false);
    expect(isGlobalId('A', "A000001' OR 1=1")).toBe(false);
  });
});

describe('unique-index violations', () => {
  it("recognizes 11000 (inserts; MongoDB updates) and FerretDB v1's code 1 for updates, nothing else", () => {
    const ferretUpdate = {
      code: 1,
      codeName: 'InternalError',
      message:
        '[msg_update.go:133 handler.(*Handler).updateDocument] … constraint failed: UNIQUE constraint failed: index ' +
        "'categories_5eb0c06d_organizationId_1_kind_1_parentId_1_nameKey_1_deletedAt_1' (2067)",
    };
    expect(isUniqueViolation({ code: 11000, message: 'E11000 duplicate key error' })).toBe(true);
    expect(isUniqueViolation(ferretUpdate)).toBe(true);
    expect(
      isUniqueViolation({
        code: 1,
        message: 'ERROR: duplicate key value violates unique constraint "x" (SQLSTATE 23505)',
      }),
    ).toBe(true);
    expect(isDuplicateKey(ferretUpdate)).toBe(false);
    expect(isUniqueViolation({ code: 1, message: 'some other internal error' })).toBe(false);
    expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
