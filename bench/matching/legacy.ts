/**
 * The earlier bench/matching data set, kept so its figure stays comparable: 300 suppliers with Swedish-style names,
 * 10 000 open items (70 % bills with OCR numbers, 30 % transactions) over a year; 9 000 lines pay an item (40 % exact
 * OCR, 25 % amount + date only, 25 % the bank's spelling of the name — a fifth with a small amount difference —, 10 %
 * the OCR typed into the text), 1 000 noise lines, 1 000 items without a line. Measured: the batch decisions
 * (assignBatch) of all 10 000 lines in one batch against an exact hash join, and the naive all-pairs scorer on a
 * 1 000 × 1 000 sample.
 */
import type { MatchItem, MatchLine } from '../../src/modules/bank/matching/types';
import { seededRandom } from '../../src/common/seeded-random';
import { luhnCheckDigit } from './realistic';

let rand = seededRandom(0);
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const PREFIX = [
  'Nordisk',
  'Västra',
  'Svea',
  'Göta',
  'Norrlands',
  'Skånska',
  'Mälardalens',
  'Östgöta',
  'Bergslagens',
  'Hallands',
  'Dala',
  'Kust',
  'Fjäll',
  'Stads',
  'Ängs',
  'Sjö',
  'Björk',
  'Ek',
  'Gran',
  'Lind',
];
const CORE = [
  'Energi',
  'Fastigheter',
  'Bredband',
  'Försäkring',
  'Vatten',
  'El',
  'Bygg',
  'Städ',
  'Revision',
  'Media',
  'Transport',
  'Tryck',
  'Data',
  'Kontor',
  'Hälsa',
];
const FORM = ['AB', 'AB', 'HB', 'Ek. för.', 'AB (publ)'];
const NOISE_TEXT = [
  'KORTKÖP ICA NÄRA',
  'SWISH TILL MAMMA',
  'UTTAG BANKOMAT',
  'PRESSBYRÅN',
  'SL REskassa',
  'SYSTEMBOLAGET',
  'APOTEKET',
  'CIRCLE K',
  'ÖVERFÖRING EGET KONTO',
  'AVGIFT KORT',
];
const GENERIC = ['BETALNING', 'BG-BETALNING', 'E-FAKTURA', 'AUTOGIRO', 'ÖVERFÖRING'];

const isoDay = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
const bankSpelling = (name: string): string => {
  let s = name
    .toUpperCase()
    .replace(/Å|Ä/g, 'A')
    .replace(/Ö/g, 'O')
    .replace(/ EK\. FÖR\.| \(PUBL\)/g, '');
  const r = rand();
  if (r < 0.3) s = s.slice(0, Math.max(8, s.length - int(2, 5)));
  else if (r < 0.55) s = `${s.replace(/ (AB|HB)$/, '')} KUNDSERVICE`;
  else if (r < 0.7) s = `BG ${int(100, 999)}-${int(1000, 9999)} ${s}`;
  return s;
};
const amountWithOre = () => (rand() < 0.8 ? int(5_000, 2_000_000) : int(50, 20_000) * 100);

export interface Data {
  items: MatchItem[];
  lines: MatchLine[];
  truth: Map<string, string>;
}

export function generateLegacy(n: number, seed: number): Data {
  rand = seededRandom(seed);
  const suppliers = new Map<string, { id: string; name: string }>();
  while (suppliers.size < 300) {
    const name = `${pick(PREFIX)}${rand() < 0.5 ? ' ' : ''}${pick(CORE)} ${pick(FORM)}`;
    if (!suppliers.has(name)) suppliers.set(name, { id: `S${suppliers.size + 1}`, name });
  }
  const supplierList = [...suppliers.values()];
  const usedOcr = new Set<string>();
  const items: MatchItem[] = [];
  for (let i = 0; i < n; i++) {
    const s = pick(supplierList);
    const isBill = rand() < 0.7;
    let ocr: string | null = null;
    if (isBill) {
      do {
        const body = String(int(1_000, 99_999_999)) + String(i);
        ocr = body + luhnCheckDigit(body);
      } while (usedOcr.has(ocr));
      usedOcr.add(ocr);
    }
    const direction = isBill || rand() < 0.7 ? 'out' : 'in';
    items.push({
      type: isBill ? 'bill' : 'transaction',
      id: `I${i + 1}`,
      direction,
      amount: amountWithOre(),
      date: isoDay(int(0, 364)),
      ocr,
      invoiceNumber: isBill ? `F${int(10_000, 99_999)}-${i}` : null,
      names: isBill ? [s.name] : [s.name, `Inköp ${pick(CORE).toLowerCase()}`],
      counterpartyKey: `supplier:${s.id}`,
      label: s.name,
    });
  }
  const matchedCount = Math.round(n * 0.9);
  const order = items
    .map((_, i) => i)
    .sort(() => rand() - 0.5)
    .slice(0, matchedCount);
  const lines: MatchLine[] = [];
  const truth = new Map<string, string>();
  order.forEach((itemIndex, k) => {
    const item = items[itemIndex];
    const sign = item.direction === 'out' ? -1 : 1;
    const due = Date.parse(`${item.date}T00:00:00Z`) / 86_400_000 - Date.UTC(2026, 0, 1) / 86_400_000;
    const offset = item.type === 'bill' ? int(-10, 3) : int(-2, 2);
    const id = `L${k + 1}`;
    const r = rand();
    let line: MatchLine;
    if (r < 0.4 && item.ocr) {
      line = {
        id,
        date: isoDay(due + offset),
        amount: sign * item.amount,
        reference: item.ocr,
        text: bankSpelling(item.label),
        counterpartyName: null,
      };
    } else if (r < 0.65) {
      line = {
        id,
        date: isoDay(due + offset),
        amount: sign * item.amount,
        reference: null,
        text: pick(GENERIC),
        counterpartyName: null,
      };
    } else if (r < 0.9 || !item.ocr) {
      const fee = rand() < 0.2 ? int(1, 50) : 0;
      line = {
        id,
        date: isoDay(due + offset),
        amount: sign * (item.amount + fee),
        reference: null,
        text: 'BETALNING',
        counterpartyName: bankSpelling(item.label),
      };
    } else {
      line = {
        id,
        date: isoDay(due + int(-5, 20)),
        amount: sign * item.amount,
        reference: null,
        text: `${pick(GENERIC)} OCR ${item.ocr}`,
        counterpartyName: null,
      };
    }
    lines.push(line);
    truth.set(id, item.id);
  });
  for (let k = matchedCount; k < n; k++) {
    lines.push({
      id: `L${k + 1}`,
      date: isoDay(int(0, 364)),
      amount: -amountWithOre(),
      reference: null,
      text: `${pick(NOISE_TEXT)} ${int(1000, 9999)}`,
      counterpartyName: null,
    });
  }
  return { items, lines, truth };
}
