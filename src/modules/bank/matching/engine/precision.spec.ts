import { seededRandom } from '../../../../common/seeded-random';
import { chunksOf, evaluate } from '../../../../../bench/matching/production';
import { generateRealistic } from '../../../../../bench/matching/realistic';
import type { MatchItem, MatchLine } from '../types';
import {
  assignBatch,
  AUTO_BOOKING_BAR,
  AUTO_TRANSACTION_DAYS,
  CandidateIndex,
  RunClaims,
  SUGGESTION_BAR,
  suggestAndAssign,
  UNIQUE_MARGIN,
} from './index';

/**
 * Matching must not be confidently wrong (issue 10, part 2): the two wrong claims a held-out test found, as
 * regression tests, and the precision at the two bars on a generated statement (bench/matching/realistic.ts) with a
 * fixed seed that no weight was tuned on.
 */

const bill = (overrides: Partial<MatchItem>): MatchItem => ({
  type: 'bill',
  id: 'B1',
  direction: 'out',
  amount: 49_900,
  date: '2026-03-01',
  ocr: '5550001234',
  invoiceNumber: null,
  names: ['Hi3G Access AB', 'Tre'],
  counterpartyKey: 'supplier:S-tre',
  label: 'Hi3G Access AB',
  ...overrides,
});

const line = (overrides: Partial<MatchLine>): MatchLine => ({
  id: 'L1',
  date: '2026-03-18',
  amount: -49_900,
  reference: null,
  text: '',
  counterpartyName: null,
  ...overrides,
});

describe('the wrong claims of the held-out test', () => {
  it('a card purchase "SL ACCESS, Kortköp, 499 kr" is not Tre’s bill of 499 kr, 17 days after its due date', () => {
    const index = new CandidateIndex([bill({})]);
    const variants = [
      line({ text: 'SL ACCESS, Kortköp' }),
      line({ text: 'KORTKÖP 0317 SL ACCESS' }),
      line({ text: 'SL ACCESS', transactionCode: 'PMNT-CCRD-POSD' }),
      // without any card marker the name still does not resemble, and it is late
      line({ text: 'SL ACCESS' }),
    ];
    for (const l of variants) {
      const suggestions = index.suggest(l, {}, { floor: 0 });
      expect({ text: l.text, below: suggestions.every((s) => s.confidence < SUGGESTION_BAR) }).toEqual({
        text: l.text,
        below: true,
      });
      expect(assignBatch(index, [l], undefined, SUGGESTION_BAR).itemId(0)).toBeNull();
    }
    const [card] = index.suggest(variants[0], {}, { floor: 0 });
    expect(card.confidence).toBeLessThan(0.05);
    expect(card.why.sv).toContain('ett kortköp, inte en betalning av räkningen');
    expect(card.why.en).toContain('the name does not resemble "Hi3G Access AB"');
    // the same card text names Tre clearly: then it may be Tre's bill
    const tre = index.suggest(line({ date: '2026-03-02', text: 'KORTKÖP 0301 TRE' }))[0];
    expect(tre.confidence).toBeGreaterThan(SUGGESTION_BAR);
  });

  it('"Betalning STHLM EXERGI", 199 kr, no reference, two open bills of 199 kr: no claim, the why names the other', () => {
    const exergi = (id: string, date: string, invoiceNumber: string) =>
      bill({
        id,
        date,
        amount: 19_900,
        ocr: null,
        invoiceNumber,
        names: ['Stockholm Exergi AB'],
        counterpartyKey: 'supplier:S-exergi',
        label: `Stockholm Exergi AB, faktura ${invoiceNumber}`,
      });
    const paid = line({ date: '2026-03-02', amount: -19_900, text: 'Betalning STHLM EXERGI' });
    // two subscriptions, same due date: nothing tells them apart
    const twins = new CandidateIndex([
      exergi('E1', '2026-03-01', '1001'),
      exergi('E2', '2026-03-01', '1002'),
    ]);
    const [a, b] = twins.suggest(paid, {}, { floor: 0 });
    expect(a.confidence).toBeLessThan(SUGGESTION_BAR);
    expect(b.confidence).toBe(a.confidence);
    expect(a.signals.rivals).toEqual([
      { type: 'bill', id: 'E2', label: 'Stockholm Exergi AB, faktura 1002' },
    ]);
    expect(a.why.sv).toContain(
      'men även "Stockholm Exergi AB, faktura 1002" passar nästan lika bra eller bättre',
    );
    expect(a.why.en).toContain('but "Stockholm Exergi AB, faktura 1002" fits almost as well or better');
    expect(assignBatch(twins, [paid], undefined, SUGGESTION_BAR).itemId(0)).toBeNull();
    // next month's bill already open: the one due now is likelier, but not certain — no automatic booking
    const months = new CandidateIndex([
      exergi('E1', '2026-03-01', '1001'),
      exergi('E2', '2026-03-31', '1002'),
    ]);
    const [now] = months.suggest(paid);
    expect(now.candidate.id).toBe('E1');
    expect(now.confidence).toBeLessThan(AUTO_BOOKING_BAR);
    expect(now.signals.rivals?.map((r) => r.id)).toEqual(['E2']);
    expect(assignBatch(months, [paid]).itemId(0)).toBeNull();
    // with its OCR number the payment names its bill
    const ocr = new CandidateIndex([
      { ...exergi('E1', '2026-03-01', '1001'), ocr: '12345678903' },
      { ...exergi('E2', '2026-03-01', '1002'), ocr: '12345678911' },
    ]);
    expect(assignBatch(ocr, [{ ...paid, reference: '12345678911' }]).itemId(0)).toBe('E2');
  });
});

describe('the wrong automatic claims of the tuning seeds (v2): a refund without reference, 10–11 days after another refund’s credit note', () => {
  const credit: MatchItem = {
    type: 'transaction',
    id: 'T1',
    direction: 'in',
    amount: 19_800,
    date: '2026-04-19',
    ocr: null,
    invoiceNumber: null,
    names: ['Folksam ömsesidig sakförsäkring', 'Folksam', 'Kreditnota'],
    counterpartyKey: 'supplier:S-folksam',
    label: 'Kreditnota',
  };
  const refund = (id: string, date: string): MatchLine =>
    line({ id, date, amount: 19_800, text: 'KREDIT FOLKSAM' });
  const history = { history: () => ({ approved: 2, rejected: 0 }) };

  it('a transaction without reference is booked automatically only within a week of the line', () => {
    const index = new CandidateIndex([credit]);
    const late = refund('L2', '2026-04-29');
    // the score still says it resembles (shown as a suggestion, a person decides) …
    const [s] = index.suggest(late, history);
    expect(s.confidence).toBeGreaterThanOrEqual(AUTO_BOOKING_BAR);
    // … but it is not booked automatically: 10 days is more than AUTO_TRANSACTION_DAYS
    expect(assignBatch(index, [late], () => history).itemId(0)).toBeNull();
    for (const days of [0, 3, AUTO_TRANSACTION_DAYS]) {
      const near = refund('L1', `2026-04-${19 + days}`);
      expect({ days, item: assignBatch(index, [near], () => history).itemId(0) }).toEqual({
        days,
        item: 'T1',
      });
    }
  });

  it('an item two lines of one run claim alike goes to neither, also when they are in different chunks', () => {
    const index = new CandidateIndex([credit]);
    const first = refund('L1', '2026-04-19');
    const second = refund('L2', '2026-04-24');
    // one batch: neither (the rule inside a batch)
    expect(assignBatch(index, [first, second], () => history).size).toBe(0);
    // two batches of one run: each alone would take it; the run's claims hold both back
    const run = new RunClaims();
    const a = assignBatch(index, [first], () => history, AUTO_BOOKING_BAR, UNIQUE_MARGIN, run).get(0)!;
    const b = assignBatch(index, [second], () => history, AUTO_BOOKING_BAR, UNIQUE_MARGIN, run).get(0)!;
    expect([a.candidate.id, b.candidate.id]).toEqual(['T1', 'T1']);
    expect(run.contested('T1', 'L1', a.confidence)).toBe(true);
    expect(run.contested('T1', 'L2', b.confidence)).toBe(true);
    // a line alone in its run keeps its decision
    const alone = new RunClaims();
    const c = assignBatch(index, [first], () => history, AUTO_BOOKING_BAR, UNIQUE_MARGIN, alone).get(0)!;
    expect(alone.contested('T1', 'L1', c.confidence)).toBe(false);
  });
});

describe('precision on generated statements', () => {
  // seed 11 and the held-out seed were never tuned on; seeds 1 (8 000 bills) and 2 (1 500) are where v2 booked a
  // refund automatically for another refund's credit note
  it.each([
    [11, 1_500],
    [20261202, 1_500],
    [2, 1_500],
    [1, 8_000],
  ])('seed %i, %i bills: ≥ 0.99 at the suggestion bar and 1.0 at the automatic bar', (seed, bills) => {
    const rand = seededRandom(seed);
    const data = generateRealistic(rand, bills);
    const { counts } = evaluate(chunksOf(data, rand));
    const all = counts.get('all')!;
    expect(all.lines).toBeGreaterThan(bills);
    expect(all.suggestedRight / all.suggested).toBeGreaterThanOrEqual(0.99);
    expect(all.autoRight).toBe(all.auto);
    // and it still finds most answers
    expect(all.suggestedRight / all.answerable).toBeGreaterThan(0.7);
    expect(all.autoRight / all.answerable).toBeGreaterThan(0.5);
  });
});

describe('suggestAndAssign (one collect per line) = suggest per line + assignBatch', () => {
  it('gives the same suggestions and decisions on a generated year (seed 11)', () => {
    const rand = seededRandom(11);
    const chunks = chunksOf(generateRealistic(rand, 1_500), rand);
    let decided = 0;
    for (const chunk of chunks) {
      const index = new CandidateIndex(chunk.items);
      const both = suggestAndAssign(index, chunk.lines, chunk.context);
      const apart = assignBatch(index, chunk.lines, chunk.context);
      chunk.lines.forEach((line, k) => {
        expect(both.suggestions[k]).toEqual(index.suggest(line, chunk.context(line)));
        expect(JSON.stringify(both.decisions.get(k))).toBe(JSON.stringify(apart.get(k)));
      });
      decided += both.decisions.size;
      expect(both.decisions.size).toBe(apart.size);
    }
    expect(decided).toBeGreaterThan(500);
  });
});
