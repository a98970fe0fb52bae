import { fromDayNumber } from '../../common/dates';
import { confidenceOf } from '../scoring';
import type { CounterpartyHistory, MatchItem, MatchLine } from '../types';
import { assignBatch, CandidateIndex, toSuggestion, type MatchContext } from './index';
import { NaiveMatcher } from './naive';
import { seededRandom } from '../../../../common/seeded-random';

/**
 * The candidate index against the naive scorer (every pair, the blocking rules written out plainly) on random small
 * batches: the same ranked candidates with the same scores and why texts for every line, and the same batch
 * decisions. Seeded: a failure names its case, and the case replays.
 */

const BASE_DAY = 20_500; // 2026-02-16
const CORES = ['Energi', 'Fastigheter', 'Bredband', 'Vatten', 'Bygg', 'Försäkring'];
const PLACES = [
  'Göteborg',
  'Västra',
  'Svea',
  'Skånska',
  'Dala',
  'Norr',
  'Öst',
  'Syd',
  'Ängs',
  'Sjö',
  'Björk',
  'Lind',
  'Gran',
  'Kust',
  'Fjäll',
  'Hallands',
  'Mälar',
  'Berg',
  'Sörmlands',
  'Gotlands',
];
const BRANDS = [
  'Vattenfall AB',
  'Telia Sverige AB',
  'Fortum',
  'E.ON Energi',
  'ICA Maxi',
  'Hyresgästföreningen',
  'Hi3G Access AB',
  'SL Access',
  'Stockholm Exergi',
  'STHLM EXERGI',
];
const GENERIC = [
  'BETALNING',
  'BG-BETALNING',
  'E-FAKTURA',
  'AUTOGIRO',
  'ÖVERFÖRING',
  'KORTKÖP',
  'Kortköp 0412',
  '',
];
/** Amounts in öre: equal ones are common, and neighbours within the tolerance of each other. */
const AMOUNTS = [100, 9_900, 10_000, 39_900, 125_000, 125_500, 126_000, 480_000, 2_500_050];
/** OCR numbers: printed with separators, short (a digit run of the text counts from 5 digits), long, not digits. */
const OCRS = [
  '12345678903',
  '1234 5678 903',
  '98765432',
  '40052',
  '4005',
  '1234567890123456789',
  'RF18 5390 0754 7034',
  '5050-1055',
];
const INVOICES = ['F-2026-0042', 'f20260043', 'INV 7781', '12-34', 'AB1', null];

interface Case {
  items: MatchItem[];
  lines: MatchLine[];
  context: (line: MatchLine) => MatchContext;
  bar: number;
}

function generate(seed: number): Case {
  const rand = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;

  // Names: brands, near-duplicates of them, and many "<place> <core>" names sharing generic words — a batch's
  // own core often, so that its block grows past MAX_BLOCK_NAMES — some with a typo in the place (found through
  // the core's block only).
  const core = pick(CORES);
  const nameOf = (): string => {
    const r = rand();
    if (r < 0.3) return pick(BRANDS);
    if (r < 0.4) return pick(BRANDS).toUpperCase().slice(0, int(6, 12));
    let place = pick(PLACES);
    if (r < 0.55) place = `${place[0]}${place.slice(2, 3)}${place.slice(1, 2)}${place.slice(3)}`;
    return `${place}${chance(0.2) ? '' : ' '}${chance(0.6) ? core : pick(CORES)}${chance(0.3) ? ' AB' : ''}`;
  };
  const amountNear = (amount: number): number =>
    chance(0.6) ? amount : Math.max(1, amount + int(-2, 2) * Math.round(amount * 0.006) + int(-150, 150));
  const generic = Math.max(1, Math.round(rand() * 30));

  const items: MatchItem[] = [];
  const itemCount = chance(0.2) ? int(20, 40) : int(1, 12);
  for (let i = 0; i < itemCount; i++) {
    const bill = chance(0.6);
    const names = Array.from({ length: int(0, 2) + (chance(0.9) ? 1 : 0) }, () =>
      chance(generic / 40) ? `${pick(PLACES)} ${pick(CORES)}` : nameOf(),
    );
    const supplier = chance(0.7);
    items.push({
      type: bill ? 'bill' : 'transaction',
      // ids out of input order: ties are broken by id
      id: `I${int(0, 999)}-${i}`,
      direction: bill || chance(0.6) ? 'out' : 'in',
      amount: amountNear(pick(AMOUNTS)),
      date: fromDayNumber(BASE_DAY + int(-20, 20)),
      ocr: bill && chance(0.6) ? pick(OCRS) : null,
      invoiceNumber: chance(0.4) ? pick(INVOICES) : null,
      names,
      counterpartyKey: supplier ? `supplier:S${int(1, 5)}` : null,
      label: names[0] ?? 'okänd',
    });
  }

  const lines: MatchLine[] = [];
  const lineCount = int(1, 8);
  for (let k = 0; k < lineCount; k++) {
    const item = chance(0.8) ? pick(items) : null;
    const sign = (item ? item.direction === 'out' : chance(0.5)) ? -1 : 1;
    const amount = chance(0.05) ? 0 : sign * (item ? amountNear(item.amount) : pick(AMOUNTS));
    // days around the item's date, out to the edges of the bill window (−60…+45) and beyond
    const day = (item ? BASE_DAY : BASE_DAY + int(-20, 20)) + int(-70, 55);
    const name = item && item.names.length && chance(0.7) ? pick(item.names) : nameOf();
    const spelled = chance(0.5) ? name.toUpperCase() : name;
    const ocr = item?.ocr && chance(0.5) ? item.ocr : chance(0.2) ? pick(OCRS) : null;
    const invoice =
      item?.invoiceNumber && chance(0.4) ? item.invoiceNumber : chance(0.1) ? pick(INVOICES) : null;
    let text = pick(GENERIC);
    if (chance(0.5)) text = `${text} ${spelled}`.trim();
    if (ocr && chance(0.3)) text = `${text} OCR ${ocr.replace(/-/g, ' ')}`;
    if (invoice && chance(0.6)) text = `${text} ${chance(0.5) ? invoice.toLowerCase() : invoice}`;
    lines.push({
      id: `L${k}`,
      date: fromDayNumber(day),
      amount,
      reference: ocr && chance(0.6) ? ocr.replace(/ /g, chance(0.5) ? '' : '-') : null,
      text,
      counterpartyName: chance(0.5) ? spelled : null,
      transactionCode: chance(0.05) ? pick(['PMNT-CCRD-POSD', 'PMNT-RCDT-ESCT', null]) : undefined,
    });
  }

  const histories = new Map<string, CounterpartyHistory | undefined>();
  const history = (key: string) => {
    if (!histories.has(key))
      histories.set(key, chance(0.5) ? { approved: int(0, 6), rejected: int(0, 4) } : undefined);
    return histories.get(key);
  };
  const excluded = new Set(items.filter(() => chance(0.1)).map((i) => i.id));
  const withHistory = chance(0.5);
  const contexts = new Map<string, MatchContext>(
    lines.map((l) => [
      l.id,
      { history: withHistory ? history : undefined, excluded: chance(0.5) ? excluded : undefined },
    ]),
  );
  return { items, lines, context: (line) => contexts.get(line.id)!, bar: pick([0.5, 0.6, 0.9]) };
}

/** Plain data of a suggestion, its why texts included. */
const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

const CASES = 600;

describe('CandidateIndex agrees with the naive scorer on random batches', () => {
  it(`ranks every line's candidates alike (${CASES} batches)`, () => {
    let compared = 0;
    const seen = {
      ocr: 0,
      invoice: 0,
      exactAmount: 0,
      closeAmountByName: 0,
      decisiveWithoutName: 0,
      history: 0,
      cardPurchase: 0,
      nameMismatch: 0,
      rivals: 0,
    };
    for (let c = 0; c < CASES; c++) {
      const { items, lines, context } = generate(1000 + c);
      const index = new CandidateIndex(items);
      const naive = new NaiveMatcher(items);
      for (const line of lines) {
        const indexed = index.rank(line, context(line), 10, 0);
        const expected = naive.rank(line, context(line), 10, 0);
        const where = `case ${1000 + c}, line ${line.id}`;
        expect({ where, ranked: indexed.map((s) => s.item.id) }).toEqual({
          where,
          ranked: expected.map((s) => s.item.id),
        });
        indexed.forEach((s, k) => {
          // the same z to the last bit, hence the same confidence; the same signals and why texts
          expect({ where, z: s.z, confidence: s.confidence }).toEqual({
            where,
            z: expected[k].z,
            confidence: expected[k].confidence,
          });
          expect(s.confidence).toBeLessThanOrEqual(confidenceOf(s.z));
          expect({ where, s: plain(toSuggestion(s)) }).toEqual({
            where,
            s: plain(toSuggestion(expected[k])),
          });
        });
        compared++;
        for (const s of indexed) {
          if (s.refKind === 'ocr') seen.ocr++;
          else if (s.refKind === 'invoice_number') seen.invoice++;
          else if (s.diff === 0) seen.exactAmount++;
          else seen.closeAmountByName++;
          if (s.nameSim === -1) seen.decisiveWithoutName++;
          if (s.history) seen.history++;
          if (s.card) seen.cardPurchase++;
          if (s.nameMatched && s.nameSim < 0.3) seen.nameMismatch++;
          if (s.rivals.length) seen.rivals++;
        }
      }
    }
    // every way of finding a candidate occurs, often enough to matter
    expect(compared).toBeGreaterThan(2000);
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(100);
  });

  it(`takes the same batch decisions (${CASES} batches)`, () => {
    let decisions = 0;
    for (let c = 0; c < CASES; c++) {
      const { items, lines, context, bar } = generate(5000 + c);
      const decided = assignBatch(new CandidateIndex(items), lines, context, bar);
      const expected = new NaiveMatcher(items).assign(lines, context, bar, 0.15);
      const where = `case ${5000 + c}`;
      expect({ where, decided: lines.map((_, k) => plain(decided.get(k))) }).toEqual({
        where,
        decided: expected.map((s) => plain(s)),
      });
      expect(decided.size).toBe(expected.filter((s) => s !== null).length);
      decisions += decided.size;
    }
    expect(decisions).toBeGreaterThan(CASES / 2);
  });
});
