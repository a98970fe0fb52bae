import { luhnValid } from '../../src/common/validation/luhn';

/**
 * A Swedish household's paperwork, generated from a seed (pure, no I/O): suppliers as the household names them and
 * as the bank prints them, bills with OCR numbers, invoice numbers, amounts in öre and due dates, and camt.053
 * statements whose lines pay those bills (OCR in the structured reference, or the bank's spelling of the name with
 * the invoice number in the text) among card purchases, salaries and Swish payments that match nothing.
 * Used by test/first-month.e2e-spec.ts and bench/soak.ts.
 */

export { seededRandom, type Rand } from '../../src/common/seeded-random';
import type { Rand } from '../../src/common/seeded-random';

const int = (rand: Rand, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/** The digits plus their mod-10 (Luhn) check digit. */
export function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

/** `YYYY-MM-DD` + days (UTC calendar arithmetic). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface HouseholdSupplier {
  /** As the household registers it. */
  name: string;
  /** As the bank prints it on the statement. */
  bankName: string;
  /** Typical bill in öre. */
  min: number;
  max: number;
  /** Pays with an OCR number (else with the invoice number in the text). */
  usesOcr: boolean;
}

export const SUPPLIERS: readonly HouseholdSupplier[] = [
  { name: 'Vattenfall AB', bankName: 'VATTENFALL KUNDSERVICE', min: 40_000, max: 250_000, usesOcr: true },
  { name: 'Göteborg Energi AB', bankName: 'GOTEBORG ENERGI', min: 30_000, max: 180_000, usesOcr: true },
  { name: 'Ellevio AB', bankName: 'ELLEVIO AB', min: 20_000, max: 90_000, usesOcr: true },
  { name: 'Fortum Sverige AB', bankName: 'FORTUM SVERIGE', min: 25_000, max: 150_000, usesOcr: true },
  { name: 'Telia Sverige AB', bankName: 'TELIA SVERIGE AB', min: 19_900, max: 79_900, usesOcr: true },
  { name: 'Tele2 Sverige AB', bankName: 'TELE2 SVERIGE', min: 14_900, max: 59_900, usesOcr: true },
  { name: 'Telenor Sverige AB', bankName: 'TELENOR', min: 9_900, max: 49_900, usesOcr: true },
  {
    name: 'Bredbandsbolaget',
    bankName: 'BREDBANDSBOLAGET I SVERIGE',
    min: 29_900,
    max: 49_900,
    usesOcr: true,
  },
  { name: 'Com Hem AB', bankName: 'COM HEM AB', min: 19_900, max: 69_900, usesOcr: true },
  { name: 'Folksam', bankName: 'FOLKSAM OMSESIDIG SAKFORSAKRING', min: 15_000, max: 120_000, usesOcr: true },
  {
    name: 'Länsförsäkringar',
    bankName: 'LANSFORSAKRINGAR GOTEBORG',
    min: 20_000,
    max: 150_000,
    usesOcr: true,
  },
  { name: 'If Skadeförsäkring', bankName: 'IF SKADEFORSAKRING AB', min: 18_000, max: 95_000, usesOcr: true },
  { name: 'Trygg-Hansa', bankName: 'TRYGG-HANSA FORSAKRING', min: 22_000, max: 88_000, usesOcr: true },
  { name: 'HSB Göteborg', bankName: 'HSB GOTEBORG EK FOR', min: 450_000, max: 780_000, usesOcr: true },
  { name: 'Riksbyggen', bankName: 'RIKSBYGGEN EK FOR', min: 380_000, max: 690_000, usesOcr: true },
  { name: 'CSN', bankName: 'CENTRALA STUDIESTODSNAMNDEN', min: 90_000, max: 210_000, usesOcr: true },
  { name: 'Klarna Bank AB', bankName: 'KLARNA BANK AB', min: 19_900, max: 249_900, usesOcr: true },
  { name: 'Svea Ekonomi', bankName: 'SVEA EKONOMI AB', min: 9_900, max: 99_900, usesOcr: true },
  { name: 'Göteborgs Stad', bankName: 'GOTEBORGS STAD', min: 30_000, max: 160_000, usesOcr: true },
  {
    name: 'Kretslopp och vatten',
    bankName: 'KRETSLOPP OCH VATTEN GBG',
    min: 40_000,
    max: 120_000,
    usesOcr: true,
  },
  { name: 'Västtrafik AB', bankName: 'VASTTRAFIK', min: 79_500, max: 79_500, usesOcr: false },
  {
    name: 'Friskis & Svettis Göteborg',
    bankName: 'FRISKIS SVETTIS GBG',
    min: 29_900,
    max: 59_900,
    usesOcr: false,
  },
  { name: 'Spotify AB', bankName: 'SPOTIFY', min: 11_900, max: 27_900, usesOcr: false },
  { name: 'Netflix', bankName: 'NETFLIX.COM', min: 9_900, max: 19_900, usesOcr: false },
  { name: 'Dagens Nyheter', bankName: 'BONNIER NEWS DN', min: 24_900, max: 39_900, usesOcr: false },
  { name: 'Göteborgs-Posten', bankName: 'STAMPEN GP', min: 19_900, max: 34_900, usesOcr: false },
  {
    name: 'Tandläkare Lindholmen',
    bankName: 'TANDLAKARE LINDHOLMEN',
    min: 60_000,
    max: 350_000,
    usesOcr: false,
  },
  { name: 'Anticimex', bankName: 'ANTICIMEX FORSAKRINGAR', min: 25_000, max: 45_000, usesOcr: false },
  { name: 'Securitas Direct', bankName: 'SECURITAS DIRECT AB', min: 39_900, max: 49_900, usesOcr: false },
  { name: 'Hyresgästföreningen', bankName: 'HYRESGASTFORENINGEN', min: 9_500, max: 9_500, usesOcr: false },
];

export interface PlannedBill {
  index: number;
  supplier: number;
  invoiceNumber: string;
  ocr: string | null;
  amount: number;
  dueDate: string;
}

/**
 * `count` bills due from `firstDue` over `days` days, supplier by supplier in turn. Amounts carry öre and are
 * unique, so no two bills compete for one bank line by amount alone.
 */
export function planBills(rand: Rand, count: number, firstDue: string, days: number): PlannedBill[] {
  const bills: PlannedBill[] = [];
  const amounts = new Set<number>();
  for (let i = 0; i < count; i++) {
    const supplier = i % SUPPLIERS.length;
    const s = SUPPLIERS[supplier];
    let amount: number;
    // Never ending in 7 öre: that is reserved for the statements' unrelated card purchases.
    do amount = int(rand, s.min, s.max) + int(rand, 1, 99);
    while (amounts.has(amount) || amount % 10 === 7);
    amounts.add(amount);
    bills.push({
      index: i,
      supplier,
      invoiceNumber: `${2026}${String(100_000 + i * 7 + int(rand, 0, 6)).padStart(6, '0')}`,
      ocr: s.usesOcr
        ? withCheckDigit(`${int(rand, 1, 9)}${String(int(rand, 0, 99_999_999)).padStart(8, '0')}${i % 10}`)
        : null,
      amount,
      dueDate: addDays(firstDue, Math.floor((i * days) / count)),
    });
  }
  return bills;
}

export interface StatementLine {
  /** Signed öre: negative = money out. */
  amount: number;
  date: string;
  /** The bank's own reference (AcctSvcrRef), unique per line. */
  ref: string;
  ocr?: string;
  name?: string;
  text?: string;
  /** The planned bill this line pays. */
  billIndex?: number;
  /** The planned card purchase (a transaction the household recorded) this line pays. */
  purchaseIndex?: number;
}

const SHOPS = [
  'ICA MAXI HOGSBO',
  'COOP KONSUM MAJORNA',
  'WILLYS GBG LINNE',
  'HEMKOP JARNTORGET',
  'SYSTEMBOLAGET GBG',
  'PRESSBYRAN CENTRAL',
  'APOTEKET HJARTAT',
  'CLAS OHLSON NORDSTAN',
  'IKEA BACKEBOL',
  'CIRCLE K SISJON',
  'STADIUM NORDSTAN',
  'LIDL FRÖLUNDA',
];

export interface PlannedPurchase {
  index: number;
  date: string;
  amount: number;
  shop: string;
}

/** Card purchases the household also writes down by hand (transactions that bank lines then match). */
export function planPurchases(rand: Rand, count: number, from: string, days: number): PlannedPurchase[] {
  const amounts = new Set<number>();
  return Array.from({ length: count }, (_, index) => {
    let amount: number;
    do amount = int(rand, 3_000, 250_000);
    while (amounts.has(amount) || amount % 10 === 7);
    amounts.add(amount);
    return { index, date: addDays(from, int(rand, 0, days - 1)), amount, shop: pick(rand, SHOPS) };
  });
}

/**
 * One statement of `size` lines from `from` over `days` days: a line for each bill in `bills` (paid 0–4 days
 * before its due date, by OCR or by name with the invoice number), one for each purchase, then card purchases,
 * two salaries per month and Swish payments until it has `size` lines. Sorted by date; refs `${refPrefix}-0001`, ….
 */
export function planStatement(
  rand: Rand,
  options: {
    size: number;
    from: string;
    days: number;
    refPrefix: string;
    bills: readonly PlannedBill[];
    purchases?: readonly PlannedPurchase[];
  },
): StatementLine[] {
  const lines: Omit<StatementLine, 'ref'>[] = [];
  for (const bill of options.bills) {
    const s = SUPPLIERS[bill.supplier];
    lines.push({
      amount: -bill.amount,
      date: addDays(bill.dueDate, -int(rand, 0, 4)),
      name: s.bankName,
      ...(bill.ocr ? { ocr: bill.ocr } : { text: `E-FAKTURA ${bill.invoiceNumber}` }),
      billIndex: bill.index,
    });
  }
  for (const p of options.purchases ?? []) {
    lines.push({
      amount: -p.amount,
      date: p.date,
      name: p.shop,
      text: `KORTKÖP ${p.shop}`,
      purchaseIndex: p.index,
    });
  }
  // Two earners, paid on the 25th.
  for (let month = 0; month * 30 < options.days; month++) {
    for (const employer of ['VOLVO CAR CORPORATION', 'REGION VASTRA GOTALAND']) {
      if (lines.length >= options.size) break;
      lines.push({
        amount: int(rand, 3_100_000, 3_900_000),
        date: addDays(options.from, Math.min(options.days - 1, month * 30 + 24)),
        name: employer,
        text: 'LÖN',
      });
    }
  }
  while (lines.length < options.size) {
    const date = addDays(options.from, int(rand, 0, options.days - 1));
    const kind = rand();
    if (kind < 0.8) {
      const shop = pick(rand, SHOPS);
      // Odd öre amounts between 12,37 and 1 899,99 kr: no bill of the household has such an amount.
      lines.push({
        amount: -(int(rand, 1_237, 189_999) * 10 + 7),
        date,
        name: shop,
        text: `KORTKÖP ${shop}`,
      });
    } else {
      const friend = pick(rand, ['ANNA SVENSSON', 'ERIK JOHANSSON', 'MARIA KARLSSON', 'JOHAN NILSSON']);
      const out = rand() < 0.5;
      lines.push({
        amount: (out ? -1 : 1) * int(rand, 5, 900) * 100,
        date,
        name: friend,
        text: `SWISH ${out ? 'TILL' : 'FRÅN'} ${friend}`,
      });
    }
  }
  lines.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return lines.map((l, i) => ({ ...l, ref: `${options.refPrefix}-${String(i + 1).padStart(4, '0')}` }));
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A camt.053.001.02 statement (booked entries only). */
export function camt053(
  lines: readonly StatementLine[],
  options: { iban: string; statementId: string },
): Buffer {
  const entries = lines
    .map((e) => {
      const out = e.amount < 0;
      const party = e.name
        ? `<RltdPties><${out ? 'Cdtr' : 'Dbtr'}><Nm>${xml(e.name)}</Nm></${out ? 'Cdtr' : 'Dbtr'}></RltdPties>`
        : '';
      const rmt = e.ocr
        ? `<RmtInf><Strd><CdtrRefInf><Ref>${e.ocr}</Ref></CdtrRefInf></Strd></RmtInf>`
        : e.text
          ? `<RmtInf><Ustrd>${xml(e.text)}</Ustrd></RmtInf>`
          : '';
      return `<Ntry><Amt Ccy="SEK">${(Math.abs(e.amount) / 100).toFixed(2)}</Amt><CdtDbtInd>${out ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${e.date}</Dt></BookgDt><ValDt><Dt>${e.date}</Dt></ValDt><AcctSvcrRef>${xml(e.ref)}</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>${party}${rmt}</TxDtls></NtryDtls></Ntry>`;
    })
    .join('\n');
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt><GrpHdr><MsgId>${xml(options.statementId)}</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>${xml(options.statementId)}</Id><Acct><Id><IBAN>${options.iban}</IBAN></Id></Acct>
${entries}
    </Stmt></BkToCstmrStmt></Document>`);
}

/** Percentile (0–100) of a list of numbers, nearest rank; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `fn` over `items`, `parallel` at a time, results in item order. */
export async function inPool<T, R>(
  items: readonly T[],
  parallel: number,
  fn: (item: T, i: number) => Promise<R>,
) {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}
