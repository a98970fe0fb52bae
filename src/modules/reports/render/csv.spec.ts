import { csvLine, csvMoney, csvText } from './csv';

describe('CSV cells', () => {
  it('neutralizes what a spreadsheet would run as a formula', () => {
    expect(csvText('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvText('+46 70 123')).toBe("'+46 70 123");
    expect(csvText('-2+3')).toBe("'-2+3");
    expect(csvText('@cmd')).toBe("'@cmd");
    expect(csvText('\t=1+1')).toBe("'\t=1+1");
    expect(csvText('\r=1+1')).toBe('"\'\r=1+1"');
    expect(csvText('Hyra 2026')).toBe('Hyra 2026');
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(csvText('a;b')).toBe('"a;b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText(' padded ')).toBe('" padded "');
  });

  it('writes numbers with a decimal comma, never quoted, lines with CRLF', () => {
    expect(csvMoney(-61_728)).toBe('-617,28');
    expect(csvLine(['2026-11-01', csvMoney(100), csvText('Åre')])).toBe('2026-11-01;1,00;Åre\r\n');
  });
});
