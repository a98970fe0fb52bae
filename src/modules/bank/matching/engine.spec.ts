import { assignBatch, CandidateIndex, counterpartyKeyFor, noContext, uniqueBest } from './engine';
import type { MatchItem, MatchLine } from './types';

const bill = (overrides: Partial<MatchItem>): MatchItem => ({
  type: 'bill',
  id: 'B1',
  direction: 'out',
  amount: 125_000,
  date: '2026-03-01',
  ocr: null,
  invoiceNumber: null,
  names: ['Vattenfall AB', 'vattenfall kundservice'],
  counterpartyKey: 'supplier:S1',
  label: 'Vattenfall AB',
  ...overrides,
});

const line = (overrides: Partial<MatchLine>): MatchLine => ({
  id: 'L1',
  date: '2026-03-02',
  amount: -125_000,
  reference: null,
  text: '',
  counterpartyName: null,
  ...overrides,
});

describe('CandidateIndex', () => {
  it('finds a bill by OCR whatever its amount or date, and explains it', () => {
    const index = new CandidateIndex([
      bill({ ocr: '12345678903', amount: 99_900, date: '2025-01-01' }),
      bill({ id: 'B2', amount: 50 }),
    ]);
    const [s] = index.suggest(line({ reference: '1234 5678 903' }));
    expect(s).toMatchObject({
      candidate: { type: 'bill', id: 'B1' },
      scoreVersion: 'v3',
      counterpartyKey: 'supplier:S1',
    });
    expect(s.signals.reference).toEqual({ kind: 'ocr', value: '12345678903' });
    expect(s.signals.amount.kind).toBe('different');
  });

  it('finds an OCR number typed into the text', () => {
    const index = new CandidateIndex([bill({ ocr: '12345678903' })]);
    const [s] = index.suggest(line({ text: 'BG 5050-1055 OCR 12345678903' }));
    expect(s.confidence).toBeGreaterThan(0.99);
    expect(s.why.sv).toMatch(/^OCR 12345678903 stämmer exakt, beloppet stämmer, 1 dag efter förfallodag/);
  });

  it('ranks by confidence: OCR > amount+date+name > amount+date; the OCR match takes nearly all of it', () => {
    const index = new CandidateIndex([
      bill({ id: 'B-ocr', ocr: '12345678903' }),
      bill({ id: 'B-name' }),
      bill({ id: 'B-plain', names: ['Fortum'], counterpartyKey: 'supplier:S2', label: 'Fortum' }),
    ]);
    const paid = line({ reference: '12345678903', counterpartyName: 'VATTENFALL AB' });
    const suggestions = index.suggest(paid, {}, { floor: 0 });
    expect(suggestions.map((s) => s.candidate.id)).toEqual(['B-ocr', 'B-name', 'B-plain']);
    expect(suggestions[0].confidence).toBeGreaterThan(0.9);
    expect(suggestions[1].confidence).toBeLessThan(0.1);
    expect(suggestions[1].why.en).toBe(
      'The amount matches, 1 day after the due date, the name matches "Vattenfall AB", but "Vattenfall AB" fits almost as well or better',
    );
    expect(suggestions[2].why.en).toBe(
      'The amount matches, 1 day after the due date, the name does not resemble "Fortum", but "Vattenfall AB" and "Vattenfall AB" fit almost as well or better',
    );
    // the default floor (0.2) shows only the OCR match
    expect(index.suggest(paid).map((s) => s.candidate.id)).toEqual(['B-ocr']);
  });

  it('blocks on direction and the date window', () => {
    const index = new CandidateIndex([
      bill({ id: 'late', date: '2026-01-01' }), // line is 60 days after the due date: outside (45)
      bill({ id: 'early', date: '2026-05-15' }), // line is 74 days before: outside (60)
      { ...bill({ id: 'income' }), type: 'transaction', direction: 'in', date: '2026-03-02' },
      bill({ id: 'ok', date: '2026-02-01' }),
    ]);
    const all = { floor: 0 };
    expect(index.suggest(line({}), {}, all).map((s) => s.candidate.id)).toEqual(['ok']);
    expect(index.suggest(line({ amount: 125_000 }), {}, all).map((s) => s.candidate.id)).toEqual(['income']);
    // 29 days after the due date with nothing but the amount: shown, but far below the suggestion bar
    expect(index.suggest(line({}))[0].confidence).toBeLessThan(0.3);
  });

  it('needs the name to back an amount that is only within tolerance', () => {
    const index = new CandidateIndex([
      bill({ id: 'named', amount: 125_900 }),
      bill({ id: 'anonymous', amount: 125_500, names: ['Fortum'] }),
    ]);
    const suggestions = index.suggest(line({ counterpartyName: 'VATTENFALL' }));
    expect(suggestions.map((s) => s.candidate.id)).toEqual(['named']);
    expect(suggestions[0].signals.amount).toEqual({
      kind: 'within_tolerance',
      differenceOre: 900,
      toleranceOre: 1259,
    });
    expect(suggestions[0].why.sv).toContain('Beloppet avviker 9,00\u00a0kr');
  });

  it('uses history and never suggests an excluded (rejected) item again', () => {
    const index = new CandidateIndex([bill({})]);
    const plain = index.suggest(line({}))[0];
    const known = index.suggest(line({}), {
      history: (key) => (key === 'supplier:S1' ? { approved: 4, rejected: 0 } : undefined),
    })[0];
    expect(known.confidence).toBeGreaterThan(plain.confidence);
    expect(known.signals.history).toEqual({ approved: 4, rejected: 0 });
    expect(index.suggest(line({}), { excluded: new Set(['B1']) })).toEqual([]);
  });

  it('finds long and non-numeric OCR references (hashed keys, checked character by character)', () => {
    const index = new CandidateIndex([
      bill({ id: 'long', ocr: '1234567890123456789' }),
      bill({ id: 'rf', ocr: 'RF18 5390 0754 7034' }),
      bill({ id: 'short', ocr: '1234567890123456' }),
    ]);
    expect(index.suggest(line({ reference: '1234 5678 9012 3456 789' }))[0].candidate.id).toBe('long');
    expect(index.suggest(line({ text: 'OCR 1234567890123456789' }))[0].candidate.id).toBe('long');
    const [rf] = index.suggest(line({ reference: 'RF18539007547034' }));
    expect(rf.candidate.id).toBe('rf');
    expect(rf.signals.reference).toEqual({ kind: 'ocr', value: 'RF18539007547034' });
  });

  it('finds an invoice number in the text whatever its case and dashes', () => {
    const index = new CandidateIndex([
      bill({ id: 'inv', invoiceNumber: 'F-2026-0042', amount: 480_000, date: '2026-03-10' }),
      bill({ id: 'other', invoiceNumber: 'F-2026-0043', amount: 470_000, date: '2026-03-10' }),
    ]);
    // (another amount: the exact-amount block would find it first, without the reference)
    const [s, ...rest] = index.suggest(line({ text: 'BETALNING f20260042', amount: -479_000 }));
    expect(s.candidate.id).toBe('inv');
    expect(s.signals.reference).toEqual({ kind: 'invoice_number', value: 'F-2026-0042' });
    expect(rest.map((r) => r.candidate.id)).not.toContain('other');
  });

  it('matches transactions on their date', () => {
    const tx: MatchItem = {
      type: 'transaction',
      id: 'T1',
      direction: 'in',
      amount: 2_500_050,
      date: '2026-03-25',
      ocr: null,
      invoiceNumber: null,
      names: ['Lön mars'],
      counterpartyKey: null,
      label: 'Lön mars',
    };
    const [s] = new CandidateIndex([tx]).suggest(
      line({ amount: 2_500_050, date: '2026-03-25', text: 'LÖN MARS' }),
    );
    expect(s.signals.date).toEqual({ days: 0, relativeTo: 'date', score: 1 });
    expect(s.counterpartyKey).toBe('name:lon mars');
    expect(s.why.sv).toBe('Beloppet stämmer på öret, samma dag, namnet stämmer med "Lön mars"');
  });
});

describe('uniqueBest / assignBatch', () => {
  it('takes the best only when above the bar and clearly ahead', () => {
    const mk = (id: string, confidence: number, ocr = false) =>
      ({
        candidate: { type: 'bill' as const, id },
        confidence,
        signals: { reference: ocr ? { kind: 'ocr', value: id } : null },
      }) as never;
    expect(uniqueBest([mk('a', 0.95)])).toMatchObject({ candidate: { id: 'a' } });
    expect(uniqueBest([mk('a', 0.95), mk('b', 0.7)])).toMatchObject({ candidate: { id: 'a' } });
    expect(uniqueBest([mk('a', 0.95), mk('b', 0.85)])).toBeNull();
    expect(uniqueBest([mk('a', 0.85)])).toBeNull();
    expect(uniqueBest([])).toBeNull();
    // an OCR match is contested only by another OCR match
    expect(uniqueBest([mk('a', 0.998, true), mk('b', 0.97)])).toMatchObject({ candidate: { id: 'a' } });
    expect(uniqueBest([mk('a', 0.998, true), mk('b', 0.97, true)])).toBeNull();
  });

  it('books the bill its OCR names although next month’s bill of the same amount is close behind', () => {
    const monthly = (id: string, ocr: string, date: string) =>
      bill({ id, ocr, date, amount: 39_900, names: ['Telia Sverige AB'], label: 'Telia' });
    const index = new CandidateIndex([
      monthly('B-mars', '12345678903', '2026-03-01'),
      monthly('B-april', '12345678911', '2026-03-31'),
    ]);
    const paid = line({
      date: '2026-03-01',
      amount: -39_900,
      reference: '12345678903',
      text: 'TELIA SVERIGE AB',
    });
    const [first, second] = index.suggest(paid, {}, { floor: 0 });
    expect(first.candidate.id).toBe('B-mars');
    // the other bill matches on amount and name, its date is a month off: the OCR number leaves it little
    expect(second).toMatchObject({ candidate: { id: 'B-april' }, signals: { reference: null } });
    expect(first.confidence).toBeGreaterThan(0.9);
    expect(second.confidence).toBeLessThan(0.1);
    expect(assignBatch(index, [paid]).itemId(0)).toBe('B-mars');
    expect(uniqueBest(index.suggest(paid))?.candidate.id).toBe('B-mars');
    // without the OCR number the two share the confidence, the why text names the other, nothing is booked
    const unreferenced = { ...paid, reference: null };
    const [a, b] = index.suggest(unreferenced);
    expect(a.confidence).toBeLessThan(0.9);
    expect(a.confidence + b.confidence).toBeLessThan(1);
    expect(a.signals.rivals).toEqual([{ type: 'bill', id: 'B-april', label: 'Telia' }]);
    expect(a.why.sv).toContain('men även "Telia" passar nästan lika bra eller bättre');
    expect(assignBatch(index, [unreferenced]).itemId(0)).toBeNull();
  });

  it('assigns each item to one line at most, strongest pair first; two lines that claim one item alike get none', () => {
    const index = new CandidateIndex([bill({ id: 'B1', ocr: '12345678903' })]);
    const decided = assignBatch(index, [
      line({ id: 'L1', reference: '12345678903' }),
      line({ id: 'L2', date: '2026-03-04', text: 'BETALNING' }),
    ]);
    expect(decided.size).toBe(1);
    expect(decided.itemId(0)).toBe('B1');
    expect(decided.get(1)).toBeNull();
    // both lines carry the OCR number (a double payment?): which one paid it is for a person to say
    const twice = assignBatch(index, [
      line({ id: 'L1', reference: '12345678903' }),
      line({ id: 'L2', reference: '12345678903', date: '2026-03-20' }),
    ]);
    expect(twice.size).toBe(0);
  });

  it('a batch decision reads like the suggestion of the same pair', () => {
    const items = [
      bill({ id: 'B1', ocr: '12345678903' }),
      bill({ id: 'B2', amount: 77_700, names: ['Fortum'], counterpartyKey: null, label: 'Fortum' }),
    ];
    const lines = [
      line({ id: 'L1', reference: '12345678903', counterpartyName: 'VATTENFALL' }),
      line({ id: 'L2', amount: -77_700, text: 'FORTUM', date: '2026-03-03' }),
    ];
    const decided = assignBatch(new CandidateIndex(items), lines, noContext, 0.6);
    const index = new CandidateIndex(items);
    lines.forEach((l, k) => {
      const d = decided.get(k)!;
      const [s] = index.suggest(l);
      expect(JSON.parse(JSON.stringify(d))).toEqual(s);
      expect(d.confidence).toBe(s.confidence);
      expect(d.label).toBe(s.label);
      expect(d.why).toEqual(s.why);
    });
    expect(decided.get(1)!.counterpartyKey).toBe('name:fortum');
  });

  it('leaves ambiguous lines undecided', () => {
    const index = new CandidateIndex([bill({ id: 'B1', names: ['X'] }), bill({ id: 'B2', names: ['Y'] })]);
    expect(assignBatch(index, [line({})], noContext, 0.6).size).toBe(0);
  });
});

describe('counterpartyKeyFor', () => {
  it('is the supplier when known, else the normalised bank name', () => {
    expect(counterpartyKeyFor({ counterpartyName: 'X', text: '' }, { counterpartyKey: 'supplier:S9' })).toBe(
      'supplier:S9',
    );
    expect(counterpartyKeyFor({ counterpartyName: null, text: 'KORTKÖP 260301 ICA MAXI' }, null)).toBe(
      'name:ica maxi',
    );
    expect(
      counterpartyKeyFor({ counterpartyName: 'Göteborg Energi AB', text: 'x' }, { counterpartyKey: null }),
    ).toBe('name:goteborg energi');
  });
});
