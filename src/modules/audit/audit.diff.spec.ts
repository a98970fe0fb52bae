import { diffFields, hasChanges } from './audit.diff';

describe('diffFields', () => {
  it('returns only the fields that changed', () => {
    const before = { name: 'Anna', email: 'a@x.se', role: 'member' };
    const after = { name: 'Anna B', email: 'a@x.se', role: 'admin' };
    expect(diffFields(before, after)).toEqual({
      before: { name: 'Anna', role: 'member' },
      after: { name: 'Anna B', role: 'admin' },
    });
  });

  it('compares nested objects by content, Dates by instant', () => {
    const before = { prefs: { a: 1, b: { c: [1, 2] } }, at: new Date('2026-01-01T00:00:00Z') };
    const after = { prefs: { b: { c: [1, 2] }, a: 1 }, at: new Date('2026-01-01T00:00:00.000Z') };
    expect(hasChanges(diffFields(before, after))).toBe(false);
    expect(diffFields(before, { ...after, prefs: { a: 1, b: { c: [2, 1] } } })).toEqual({
      before: { prefs: before.prefs },
      after: { prefs: { a: 1, b: { c: [2, 1] } } },
    });
  });

  it('reports added and removed fields with null on the missing side; null equals missing', () => {
    expect(diffFields({ nickname: 'A' }, {})).toEqual({
      before: { nickname: 'A' },
      after: { nickname: null },
    });
    expect(diffFields({}, { nickname: 'A' })).toEqual({
      before: { nickname: null },
      after: { nickname: 'A' },
    });
    expect(hasChanges(diffFields({ nickname: null }, {}))).toBe(false);
    expect(diffFields(null, { a: 1 })).toEqual({ before: { a: null }, after: { a: 1 } });
  });

  it('ignores updatedAt and __v by default, and limits to the given fields', () => {
    const before = { name: 'A', role: 'member', updatedAt: new Date(1), __v: 1 };
    const after = { name: 'B', role: 'admin', updatedAt: new Date(2), __v: 2 };
    expect(diffFields(before, after)).toEqual({
      before: { name: 'A', role: 'member' },
      after: { name: 'B', role: 'admin' },
    });
    expect(diffFields(before, after, ['role', 'updatedAt'])).toEqual({
      before: { role: 'member', updatedAt: new Date(1) },
      after: { role: 'admin', updatedAt: new Date(2) },
    });
    expect(hasChanges(diffFields(before, after, ['missing']))).toBe(false);
  });
});
