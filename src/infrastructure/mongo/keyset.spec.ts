import { encodeKeysetCursor, keysetFilter, keysetOrder, toKeysetPage } from './keyset';

describe('keyset pagination', () => {
  const byDateDesc = { field: 'date', direction: -1 } as const;

  it('builds a seek filter after the cursor', () => {
    const cursor = encodeKeysetCursor(byDateDesc, '2026-03-01', 'A000010');
    expect(keysetFilter(byDateDesc, cursor)).toEqual({
      $or: [{ date: { $lt: '2026-03-01' } }, { date: '2026-03-01', _id: { $lt: 'A000010' } }],
    });
    const byAmountAsc = { field: 'amount', direction: 1 } as const;
    expect(keysetFilter(byAmountAsc, encodeKeysetCursor(byAmountAsc, 500, 'A000002'))).toEqual({
      $or: [{ amount: { $gt: 500 } }, { amount: 500, _id: { $gt: 'A000002' } }],
    });
    expect(keysetFilter(byDateDesc, undefined)).toEqual({});
    expect(keysetOrder(byDateDesc)).toEqual({ date: -1, _id: -1 });
  });

  it('refuses garbage and cursors of another sort', () => {
    expect(() => keysetFilter(byDateDesc, 'not-a-cursor')).toThrow('cursor is not valid');
    const other = encodeKeysetCursor({ field: 'amount', direction: -1 }, 5, 'A000001');
    expect(() => keysetFilter(byDateDesc, other)).toThrow('cursor is not valid');
    const flipped = encodeKeysetCursor({ field: 'date', direction: 1 }, '2026-01-01', 'A000001');
    expect(() => keysetFilter(byDateDesc, flipped)).toThrow('cursor is not valid');
  });

  it('pages: a cursor only when a further row exists', () => {
    const rows = [
      { _id: 'A3', date: '2026-03-01' },
      { _id: 'A2', date: '2026-02-01' },
      { _id: 'A1', date: '2026-01-01' },
    ];
    const page = toKeysetPage(rows, 2, byDateDesc, (r) => r.date);
    expect(page.items.map((r) => r._id)).toEqual(['A3', 'A2']);
    expect(keysetFilter(byDateDesc, page.nextCursor ?? undefined)).toEqual({
      $or: [{ date: { $lt: '2026-02-01' } }, { date: '2026-02-01', _id: { $lt: 'A2' } }],
    });
    expect(toKeysetPage(rows, 3, byDateDesc, (r) => r.date).nextCursor).toBeNull();
  });
});
