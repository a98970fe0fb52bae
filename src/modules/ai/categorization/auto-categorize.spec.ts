import { blockIds } from './auto-categorize.service';

describe('blockIds (the ids a transaction.bulk_created entry names)', () => {
  it('enumerates the consecutive block from firstId and count', () => {
    expect(blockIds('A000998', 3)).toEqual(['A000998', 'A000999', 'A001000']);
    expect(blockIds('A999999', 2)).toEqual(['A999999', 'A1000000']);
    expect(blockIds('WW000001', 1)).toEqual(['WW000001']);
  });

  it('answers nothing for anything else (the listener then does nothing)', () => {
    expect(blockIds(undefined, 3)).toEqual([]);
    expect(blockIds('A000001', 0)).toEqual([]);
    expect(blockIds('A000001', 1001)).toEqual([]);
    expect(blockIds('x1', 2)).toEqual([]);
    expect(blockIds('A000001', '3')).toEqual([]);
  });
});
