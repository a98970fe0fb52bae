/**
 * A realistic Swedish statement with a known answer for bench/matching and the engine's precision spec: the bills of
 * 20 well-known suppliers and of local ones, and the lines that pay them the ways real statements do — each line
 * labelled with its class, so precision and recall can be reported per class.
 *
 * Classes (the line's truth: the item it settles, or null when no single open item is its answer):
 * - `ocr`: the OCR number as the reference, the exact amount, −10…+3 days around the due date;
 * - `ocr_in_text`: the OCR number typed into the free text ("BG-BETALNING OCR 5550 0012 34");
 * - `ocr_mistyped`: a reference with one digit wrong (no bill has it) — amount, date and name remain;
 * - `ocr_last_month`: last month's OCR number (that bill was paid in an earlier statement: no longer open) with this
 *   month's amount;
 * - `no_reference_name`: no reference, the bank's spelling of the supplier ("Betalning STHLM EXERGI");
 * - `no_reference`: no reference and no name ("BG-BETALNING", "E-FAKTURA"), the exact amount;
 * - `bank_shortened`: the bank cuts or re-spells the name ("VATTENF", "IF SKADEFORS"), a fifth with öresavrundning;
 * - `late`: no reference, the name, paid 15–40 days after the due date;
 * - `subscription_twin`: two open bills of one supplier with the same amount and due date (two subscriptions), paid
 *   with no reference — no payment tells which; the truth is one of them, the right answer is not to claim;
 * - `partial`: part of a bill (30–70 %) paid with its OCR number;
 * - `multi_bill`: one payment for two or three bills of a supplier, invoice numbers in the text (truth: none — one
 *   line, several items is not a single match);
 * - `reminder_fee`: a bill paid 20–35 days late with its OCR number and a reminder fee (påminnelseavgift 60 kr);
 * - `intermediary`: a web shop's bill paid to Klarna/Svea/Collector (the bank prints the intermediary), 60 % with
 *   the OCR number;
 * - `refund`: money in from a supplier (a credit note as an income transaction, or no item at all);
 * - `swish_member_fee`: many equal incoming amounts (member fees of 300 kr by Swish) against income transactions
 *   per member; a fifth print no name;
 * - `card_common`: card purchases ("KORTKÖP 0412 SL ACCESS") with common amounts (49–995 kr) and no item;
 * - `card_expense`: card purchases entered by hand as expense transactions (truth: the transaction);
 * - `noise`: Swish to people, ATM withdrawals, transfers between own accounts, salary.
 *
 * Lines come in monthly statements (one import per month); open items are what production would load for a chunk of
 * a statement: items known by the chunk's last day and not settled by a line of an earlier statement (`openDuring`
 * with the statement's first day) — what an earlier statement paid was booked before this one was imported.
 */
import type { Rand } from '../../src/common/seeded-random';
import type { MatchItem, MatchLine } from '../../src/modules/bank/matching/types';

export type LineClass =
  | 'ocr'
  | 'ocr_in_text'
  | 'ocr_mistyped'
  | 'ocr_last_month'
  | 'no_reference_name'
  | 'no_reference'
  | 'bank_shortened'
  | 'late'
  | 'subscription_twin'
  | 'partial'
  | 'multi_bill'
  | 'reminder_fee'
  | 'intermediary'
  | 'refund'
  | 'swish_member_fee'
  | 'card_common'
  | 'card_expense'
  | 'noise';

export const LINE_CLASSES: readonly LineClass[] = [
  'ocr',
  'ocr_in_text',
  'ocr_mistyped',
  'ocr_last_month',
  'no_reference_name',
  'no_reference',
  'bank_shortened',
  'late',
  'subscription_twin',
  'partial',
  'multi_bill',
  'reminder_fee',
  'intermediary',
  'refund',
  'swish_member_fee',
  'card_common',
  'card_expense',
  'noise',
];

export interface RealisticCase {
  line: MatchLine;
  cls: LineClass;
  /** The item the line settles; null: none (or not a single one). */
  truth: string | null;
}

export interface RealisticData {
  items: MatchItem[];
  cases: RealisticCase[];
  /** Day (from 2026-01-01) an item became known: a bill's issue date, a transaction's date. */
  known: Map<string, number>;
  /** Day the item was settled by a line (absent: stays open). */
  settled: Map<string, number>;
}

interface Supplier {
  id: string;
  name: string;
  aliases: string[];
  /** How the bank prints it. */
  bank: string[];
  /** Fixed subscription amounts (öre); empty: usage-based amounts with öre. */
  fixed: number[];
}

const WELL_KNOWN: [string, string[], string[], number[]][] = [
  ['Vattenfall AB', ['Vattenfall'], ['VATTENFALL AB', 'VATTENFALL KUNDSERVICE', 'VATTENFALL'], []],
  ['Hi3G Access AB', ['Tre'], ['HI3G ACCESS AB', 'TRE', 'HI3G ACCESS'], [19_900, 29_900, 39_900, 49_900]],
  ['Telia Sverige AB', ['Telia'], ['TELIA SVERIGE AB', 'TELIA'], [29_900, 39_900, 49_900, 59_900]],
  ['Stockholm Exergi AB', [], ['STHLM EXERGI', 'STOCKHOLM EXERGI AB'], [19_900, 49_900]],
  ['Ellevio AB', [], ['ELLEVIO AB', 'ELLEVIO'], []],
  ['Fortum Sverige AB', ['Fortum'], ['FORTUM SVERIGE', 'FORTUM'], []],
  ['If Skadeförsäkring AB', ['If'], ['IF SKADEFORSAKRING', 'IF SKADEFÖRS'], [24_500, 38_900, 51_200]],
  ['Folksam ömsesidig sakförsäkring', ['Folksam'], ['FOLKSAM', 'FOLKSAM OMSES'], [19_800, 31_500]],
  ['Comviq', ['Tele2 Sverige AB'], ['COMVIQ', 'TELE2 SVERIGE AB'], [9_900, 19_900, 24_900]],
  ['Bahnhof AB', [], ['BAHNHOF AB', 'BAHNHOF'], [29_900, 39_900, 49_900]],
  ['Netflix International B.V.', ['Netflix'], ['NETFLIX.COM', 'NETFLIX'], [11_900, 14_900, 19_900]],
  ['Spotify AB', ['Spotify'], ['SPOTIFY', 'SPOTIFY AB'], [11_900, 17_900]],
  ['Telenor Sverige AB', ['Telenor'], ['TELENOR SVERIGE', 'TELENOR'], [29_900, 39_900]],
  ['E.ON Energidistribution AB', ['E.ON'], ['E.ON ENERGIDISTR', 'EON ENERGIDISTRIBUTION'], []],
  ['Göteborg Energi AB', [], ['GOTEBORG ENERGI', 'GÖTEBORG ENERGI AB'], []],
  ['Länsförsäkringar Sak', ['Länsförsäkringar'], ['LANSFORSAKRINGAR', 'LF SAK'], [27_500, 41_000]],
  ['Trygg-Hansa Försäkring', ['Trygg-Hansa'], ['TRYGG-HANSA', 'TRYGG HANSA'], [33_300, 45_600]],
  ['Centrala studiestödsnämnden', ['CSN'], ['CSN'], []],
  ['Stockholmshem AB', ['Stockholmshem'], ['STOCKHOLMSHEM'], [845_000, 912_300, 1_045_000]],
  ['Tibber AB', ['Tibber'], ['TIBBER'], []],
];
const SHOPS = ['Zalando SE', 'Elgiganten AB', 'Apotea AB', 'Boozt Fashion AB', 'CDON AB', 'Jollyroom AB'];
const INTERMEDIARIES = ['KLARNA AB', 'KLARNA BANK AB', 'SVEA BANK AB', 'SVEA EKONOMI', 'COLLECTOR BANK AB'];
const PLACES = [
  'Västra',
  'Norrlands',
  'Skånska',
  'Mälardalens',
  'Östgöta',
  'Bergslagens',
  'Hallands',
  'Dala',
];
const TRADES = ['Bygg', 'Städ', 'Revision', 'Tryck', 'VVS', 'Måleri', 'Trädgård', 'Redovisning', 'Elteknik'];
const FORMS = ['AB', 'AB', 'HB', 'Ek. för.', 'AB (publ)', 'KB'];
const CARD_MERCHANTS = [
  'SL ACCESS',
  'ICA NARA SODER',
  'COOP KONSUM',
  'PRESSBYRAN',
  'SYSTEMBOLAGET',
  'APOTEK HJARTAT',
  'CIRCLE K',
  'MAX HAMBURGARE',
  'BIltema',
  'CLAS OHLSON',
];
const CARD_AMOUNTS = [4_900, 9_900, 11_900, 14_900, 19_900, 24_900, 29_900, 39_900, 49_900, 99_500];
const FIRST = [
  'Anna',
  'Erik',
  'Maria',
  'Lars',
  'Karin',
  'Johan',
  'Sara',
  'Anders',
  'Emma',
  'Per',
  'Elin',
  'Nils',
];
const LAST = [
  'Svensson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Lind',
];
const GENERIC = ['BG-BETALNING', 'E-FAKTURA', 'AUTOGIRO', 'BETALNING', 'ÖVERFÖRING'];
const MONTHS = ['jan', 'feb', 'mars', 'april', 'maj', 'juni', 'juli', 'aug', 'sep', 'okt', 'nov', 'dec'];

export const isoDay = (day: number): string =>
  new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * Generates about `bills` bills in monthly contracts and the lines of the classes above (about 1.2 lines per bill).
 */
export function generateRealistic(rand: Rand, bills = 8_000): RealisticData {
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;

  const suppliers: Supplier[] = WELL_KNOWN.map(([name, aliases, bank, fixed], i) => ({
    id: `S${i + 1}`,
    name,
    aliases,
    bank,
    fixed,
  }));
  const wellKnown = suppliers.slice();
  const local: Supplier[] = [];
  const names = new Set<string>();
  while (local.length < 150) {
    const name = `${pick(PLACES)} ${pick(TRADES)} ${pick(FORMS)}`;
    if (names.has(name)) continue;
    names.add(name);
    const bankName = name
      .toUpperCase()
      .replace(/Å|Ä/g, 'A')
      .replace(/Ö/g, 'O')
      .replace(/ EK\. FÖR\.| \(PUBL\)/g, '');
    local.push({
      id: `S${suppliers.length + local.length + 1}`,
      name,
      aliases: [],
      bank: [bankName],
      fixed: [],
    });
  }
  suppliers.push(...local);
  const shops: Supplier[] = SHOPS.map((name, i) => ({
    id: `SH${i + 1}`,
    name,
    aliases: [],
    bank: [],
    fixed: [],
  }));

  const items: MatchItem[] = [];
  const cases: RealisticCase[] = [];
  const known = new Map<string, number>();
  const settled = new Map<string, number>();
  const usedOcr = new Set<string>();
  let nextItem = 1;
  let nextLine = 1;
  const newOcr = (): string => {
    for (;;) {
      const body = String(int(10_000_000, 999_999_999)) + String(int(10, 99));
      const ocr = body + luhnCheckDigit(body);
      if (!usedOcr.has(ocr)) {
        usedOcr.add(ocr);
        return ocr;
      }
    }
  };
  const usage = () => int(20_000, 450_000);
  const billOf = (s: Supplier, amount: number, due: number, label = s.name): MatchItem => {
    const id = `B${nextItem++}`;
    const invoiceNumber = `${int(100, 999)}${nextItem}`;
    const item: MatchItem = {
      type: 'bill',
      id,
      direction: 'out',
      amount,
      date: isoDay(due),
      ocr: newOcr(),
      invoiceNumber,
      names: [s.name, ...s.aliases],
      counterpartyKey: `supplier:${s.id}`,
      label: `${label}, faktura ${invoiceNumber}`,
    };
    items.push(item);
    known.set(id, due - int(14, 25));
    return item;
  };
  const transactionOf = (
    direction: 'in' | 'out',
    amount: number,
    day: number,
    names: string[],
    key: string | null,
  ): MatchItem => {
    const id = `T${nextItem++}`;
    const item: MatchItem = {
      type: 'transaction',
      id,
      direction,
      amount,
      date: isoDay(day),
      ocr: null,
      invoiceNumber: null,
      names,
      counterpartyKey: key,
      label: names[names.length - 1],
    };
    items.push(item);
    known.set(id, day - int(0, 3));
    return item;
  };
  const push = (line: Omit<MatchLine, 'id'>, cls: LineClass, truth: MatchItem | null, day: number) => {
    cases.push({ line: { id: `L${nextLine++}`, ...line }, cls, truth: truth?.id ?? null });
    if (truth) settled.set(truth.id, day);
  };
  const bankName = (s: Supplier) => pick(s.bank.length ? s.bank : [s.name.toUpperCase()]);
  const shortened = (s: Supplier): string => {
    const full = bankName(s).replace(/Å|Ä/g, 'A').replace(/Ö/g, 'O');
    return chance(0.5) ? full.slice(0, Math.max(6, full.length - int(2, 6))) : full;
  };
  const mistype = (ocr: string): string => {
    const at = int(0, ocr.length - 2);
    const digit = (Number(ocr[at]) + int(1, 9)) % 10;
    return ocr.slice(0, at) + String(digit) + ocr.slice(at + 1);
  };

  // Contracts: a supplier, an amount (fixed, or usage per month), a due day; 12 monthly bills.
  let made = 0;
  while (made < bills) {
    const s = chance(0.45) ? pick(wellKnown) : pick(local);
    const fixed = s.fixed.length ? pick(s.fixed) : 0;
    const dueDay = int(0, 27);
    /** Last month's bill, when a line paid it at least 20 days before this one's due date. */
    let lastOcr: string | null = null;
    let lastPaid = 0;
    for (let month = 0; month < 12 && made < bills; month++) {
      const due = month * 30 + dueDay + 5;
      const bill = billOf(s, fixed || usage(), due);
      made++;
      const r = rand();
      const sign = -1;
      const onTime = due + int(-10, 3);
      const payer = bankName(s);
      if (r < 0.34) {
        push(
          {
            date: isoDay(onTime),
            amount: sign * bill.amount,
            reference: bill.ocr,
            text: payer,
            counterpartyName: payer,
          },
          'ocr',
          bill,
          onTime,
        );
      } else if (r < 0.42) {
        const spaced = bill.ocr!.replace(/(\d{4})(?=\d)/g, '$1 ');
        push(
          {
            date: isoDay(onTime),
            amount: sign * bill.amount,
            reference: null,
            text: `${pick(GENERIC)} OCR ${chance(0.5) ? spaced : bill.ocr}`,
            counterpartyName: null,
          },
          'ocr_in_text',
          bill,
          onTime,
        );
      } else if (r < 0.45) {
        push(
          {
            date: isoDay(onTime),
            amount: sign * bill.amount,
            reference: mistype(bill.ocr!),
            text: payer,
            counterpartyName: payer,
          },
          'ocr_mistyped',
          bill,
          onTime,
        );
      } else if (r < 0.48 && lastOcr && monthOf(lastPaid) < monthOf(onTime)) {
        push(
          {
            date: isoDay(onTime),
            amount: sign * bill.amount,
            reference: lastOcr,
            text: payer,
            counterpartyName: payer,
          },
          'ocr_last_month',
          bill,
          onTime,
        );
      } else if (r < 0.6) {
        const text = `${pick(['Betalning', 'BG-BETALNING', 'E-FAKTURA'])} ${payer}`;
        push(
          { date: isoDay(onTime), amount: sign * bill.amount, reference: null, text, counterpartyName: null },
          'no_reference_name',
          bill,
          onTime,
        );
      } else if (r < 0.66) {
        push(
          {
            date: isoDay(onTime),
            amount: sign * bill.amount,
            reference: null,
            text: pick(GENERIC),
            counterpartyName: null,
          },
          'no_reference',
          bill,
          onTime,
        );
      } else if (r < 0.74) {
        const ore = !fixed && chance(0.2) ? int(-49, 50) : 0;
        push(
          {
            date: isoDay(onTime),
            amount: sign * (bill.amount + ore),
            reference: null,
            text: 'BETALNING',
            counterpartyName: shortened(s),
          },
          'bank_shortened',
          bill,
          onTime,
        );
      } else if (r < 0.79) {
        const day = due + int(15, 40);
        push(
          {
            date: isoDay(day),
            amount: sign * bill.amount,
            reference: null,
            text: `Betalning ${payer}`,
            counterpartyName: null,
          },
          'late',
          bill,
          day,
        );
      } else if (r < 0.81) {
        const part = Math.round((bill.amount * int(30, 70)) / 100);
        push(
          {
            date: isoDay(onTime),
            amount: sign * part,
            reference: bill.ocr,
            text: payer,
            counterpartyName: payer,
          },
          'partial',
          null,
          onTime,
        );
        // partly paid: still open, and the line's answer is this bill
        cases[cases.length - 1].truth = bill.id;
      } else if (r < 0.84) {
        const day = due + int(20, 35);
        push(
          {
            date: isoDay(day),
            amount: sign * (bill.amount + 6_000),
            reference: bill.ocr,
            text: `${payer} inkl påminnelseavgift`,
            counterpartyName: payer,
          },
          'reminder_fee',
          bill,
          day,
        );
      } else if (r < 0.9) {
        // unpaid: stays open
      } else {
        // paid later together with other bills (multi_bill below) or by autogiro without a line in this file
        if (chance(0.5)) settled.set(bill.id, due + 60);
      }
      const paidOn = settled.get(bill.id);
      lastOcr = paidOn !== undefined && paidOn <= due + 10 ? bill.ocr : null;
      lastPaid = paidOn ?? 0;
    }
  }

  // Subscription twins: two bills of one supplier, same amount and due date, both open; each paid without a reference.
  for (let k = 0; k < Math.round(bills * 0.02); k++) {
    const s = pick(wellKnown.filter((x) => x.fixed.length));
    const amount = pick(s.fixed);
    const due = int(10, 350);
    const a = billOf(s, amount, due);
    const b = billOf(s, amount, due);
    for (const bill of [a, b]) {
      const day = due + int(-5, 3);
      push(
        {
          date: isoDay(day),
          amount: -amount,
          reference: null,
          text: `Betalning ${bankName(s)}`,
          counterpartyName: null,
        },
        'subscription_twin',
        bill,
        day,
      );
    }
  }

  // One payment for several bills of a supplier, their invoice numbers in the text.
  for (let k = 0; k < Math.round(bills * 0.015); k++) {
    const s = pick(local);
    const due = int(10, 340);
    const group = Array.from({ length: int(2, 3) }, (_, j) => billOf(s, usage(), due + j * 3));
    const day = due + int(0, 10);
    const total = group.reduce((sum, b) => sum + b.amount, 0);
    push(
      {
        date: isoDay(day),
        amount: -total,
        reference: null,
        text: `Fakt ${group.map((b) => b.invoiceNumber).join(', ')}`,
        counterpartyName: bankName(s),
      },
      'multi_bill',
      null,
      day,
    );
    for (const b of group) settled.set(b.id, day);
  }

  // A web shop's bill paid to the intermediary that sent it.
  for (let k = 0; k < Math.round(bills * 0.03); k++) {
    const shop = pick(shops);
    const bill = billOf(shop, int(19_900, 350_000), int(10, 350), shop.name);
    const day = dayOf(bill) + int(-10, 3);
    const via = pick(INTERMEDIARIES);
    push(
      {
        date: isoDay(day),
        amount: -bill.amount,
        reference: chance(0.6) ? bill.ocr : null,
        text: via,
        counterpartyName: via,
      },
      'intermediary',
      bill,
      day,
    );
  }

  // Refunds and credit notes: money in from a supplier.
  for (let k = 0; k < Math.round(bills * 0.02); k++) {
    const s = pick(wellKnown);
    const amount = chance(0.5) && s.fixed.length ? pick(s.fixed) : int(5_000, 80_000);
    const day = int(10, 355);
    const credit = chance(0.6)
      ? transactionOf('in', amount, day - int(0, 5), [s.name, ...s.aliases, 'Kreditnota'], `supplier:${s.id}`)
      : null;
    push(
      {
        date: isoDay(day),
        amount,
        reference: null,
        text: `${pick(['ÅTERBETALNING', 'KREDIT', 'INSÄTTNING'])} ${bankName(s)}`,
        counterpartyName: null,
      },
      'refund',
      credit,
      day,
    );
  }

  // Member fees by Swish: many equal amounts in.
  for (let k = 0; k < Math.round(bills * 0.06); k++) {
    const person = `${pick(FIRST)} ${pick(LAST)}`;
    const day = int(5, 355);
    const fee = transactionOf('in', 30_000, day, [person, `Medlemsavgift ${person}`], null);
    const named = chance(0.8);
    push(
      {
        date: isoDay(day + int(0, 1)),
        amount: 30_000,
        reference: null,
        text: named ? `SWISH FRÅN ${person.toUpperCase()}` : 'SWISH',
        counterpartyName: named ? person.toUpperCase() : null,
      },
      'swish_member_fee',
      fee,
      day,
    );
  }

  // Card purchases: common amounts, no item; and some entered by hand as expense transactions.
  for (let k = 0; k < Math.round(bills * 0.1); k++) {
    const merchant = pick(CARD_MERCHANTS);
    const day = int(0, 364);
    const amount = chance(0.7) ? pick(CARD_AMOUNTS) : int(2_000, 150_000);
    const entered = chance(0.25)
      ? transactionOf(
          'out',
          amount,
          day - int(0, 1),
          [merchant.toLowerCase(), `Inköp ${merchant.toLowerCase()}`],
          null,
        )
      : null;
    push(
      {
        date: isoDay(day),
        amount: -amount,
        reference: null,
        text: chance(0.5)
          ? `KORTKÖP ${String(int(101, 1231)).padStart(4, '0')} ${merchant}`
          : `${merchant}, Kortköp`,
        counterpartyName: null,
        transactionCode: chance(0.3) ? 'PMNT-CCRD-POSD' : null,
      },
      entered ? 'card_expense' : 'card_common',
      entered,
      day,
    );
  }

  // Noise: Swish to people, ATM, own transfers, salary.
  for (let k = 0; k < Math.round(bills * 0.05); k++) {
    const day = int(0, 364);
    const r = rand();
    const person = `${pick(FIRST)} ${pick(LAST)}`.toUpperCase();
    const line =
      r < 0.4
        ? {
            amount: -pick([10_000, 20_000, 29_900, 49_900, int(1_000, 90_000)]),
            text: `SWISH TILL ${person}`,
          }
        : r < 0.6
          ? { amount: -pick([20_000, 50_000, 100_000]), text: 'UTTAG BANKOMAT' }
          : r < 0.85
            ? { amount: -pick([100_000, 500_000, int(10_000, 900_000)]), text: 'ÖVERFÖRING EGET KONTO' }
            : { amount: int(2_500_000, 4_500_000), text: `LÖN ${pick(MONTHS).toUpperCase()}` };
    push({ date: isoDay(day), reference: null, counterpartyName: null, ...line }, 'noise', null, day);
  }

  return { items, cases, known, settled };
}

/** The statement (calendar month, 0-based from 2026-01) a day falls in. */
export const monthOf = (day: number): number => {
  const d = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000);
  return (d.getUTCFullYear() - 2026) * 12 + d.getUTCMonth();
};

const dayOf = (item: MatchItem): number =>
  Math.round((Date.parse(`${item.date}T00:00:00Z`) - Date.UTC(2026, 0, 1)) / 86_400_000);

/** The item is open during [from, to]: known by `to`, not settled before `from`. */
export function openDuring(data: RealisticData, item: MatchItem, from: number, to: number): boolean {
  const k = data.known.get(item.id) ?? 0;
  const s = data.settled.get(item.id);
  return k <= to && (s === undefined || s >= from);
}

export { dayOf };
