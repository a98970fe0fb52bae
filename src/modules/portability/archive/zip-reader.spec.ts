import { unsafePathReason } from './zip-reader';

describe('unsafePathReason', () => {
  it.each([
    ['manifest.json', null],
    ['records/transactions.jsonl', null],
    ['files/transaction/A1/A2/original', null],
    ['../evil', 'parent'],
    ['records/../../evil', 'parent'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows/x', 'absolute'],
    ['a\\..\\b', 'backslash'],
    ['a//b', 'empty segment'],
    ['./a', 'empty segment'],
    ['a\0b', 'nul'],
    ['', 'length'],
  ])('%j → %s', (path, reason) => {
    expect(unsafePathReason(path)).toBe(reason);
  });
});
