import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../../infrastructure/clock/clock';
import type {
  OpenBillCandidate,
  SupplierForMatching,
  TransactionCandidate,
} from '../../economy/economy.contract';
import type { BankLineDoc, LineStatus, StoredSuggestion } from '../lines/lines.schema';
import { BankLinesRepository } from '../lines/lines.repository';
import { PolicyEventsRepository } from '../policies/policies.repository';
import { MatchingGenerationService } from './generation.service';
import { addDays } from '../common/dates';
import {
  BILLS,
  SUPPLIERS,
  TRANSACTIONS,
  type BillsForMatching,
  type SuppliersForMatching,
  type TransactionsForMatching,
} from '../economy.ports';
import {
  AUTO_BOOKING_BAR,
  CandidateIndex,
  counterpartyKeyFor,
  noContext,
  RunClaims,
  suggestAndAssign,
  UNIQUE_MARGIN,
  SUGGESTION_BAR,
  type MatchContext,
} from './engine';
import { amountTolerance, DATE_WINDOW } from './scoring';
import type { CounterpartyHistory, MatchItem, MatchLine, Suggestion } from './types';

/** Lines are matched in chunks of this many (one candidate query per chunk). */
const CHUNK = 500;

export const toMatchLine = (line: BankLineDoc): MatchLine => ({
  id: line._id,
  date: line.bookingDate,
  amount: line.amount,
  reference: line.reference,
  text: line.text,
  counterpartyName: line.counterpartyName,
  transactionCode: line.transactionCode ?? null,
});

export const storedSuggestion = (s: Suggestion): StoredSuggestion => ({
  candidateType: s.candidate.type,
  candidateId: s.candidate.id,
  label: s.label,
  confidence: s.confidence,
  why: { sv: s.why.sv, en: s.why.en },
  signals: s.signals,
  counterpartyKey: s.counterpartyKey,
  scoreVersion: s.scoreVersion,
});

function billItem(b: OpenBillCandidate): MatchItem {
  return {
    type: 'bill',
    id: b.id,
    direction: 'out',
    amount: b.amount,
    date: b.dueDate,
    ocr: b.ocr,
    invoiceNumber: b.invoiceNumber,
    names: [b.supplierName, ...b.supplierAliases].filter((n) => !!n),
    counterpartyKey: `supplier:${b.supplierId}`,
    label: b.invoiceNumber ? `${b.supplierName}, faktura ${b.invoiceNumber}` : b.supplierName,
  };
}

function transactionItem(t: TransactionCandidate, suppliers: Map<string, SupplierForMatching>): MatchItem {
  const supplier = t.supplierId ? suppliers.get(t.supplierId) : undefined;
  return {
    type: 'transaction',
    id: t.id,
    direction: t.type === 'income' ? 'in' : 'out',
    amount: t.amount,
    date: t.date,
    ocr: null,
    invoiceNumber: null,
    names: [t.supplierName ?? '', ...(supplier?.aliases ?? []), t.description].filter((n) => !!n),
    counterpartyKey: t.supplierId ? `supplier:${t.supplierId}` : null,
    label: t.description || t.supplierName || t.id,
  };
}

/** Digits a line carries that may be an OCR number (its reference, digit runs of 5+ in its text). */
function ocrTokens(line: MatchLine): string[] {
  const out: string[] = [];
  if (line.reference) out.push(line.reference.replace(/[\s.-]/g, ''));
  for (const run of line.text.match(/\d[\d ]{3,}\d/g) ?? []) out.push(run.replace(/ /g, ''));
  return out.filter((t) => /^\d{2,25}$/.test(t));
}

/** What booking needs of a candidate besides the engine's view: its category and the voucher text. */
export interface CandidateDetails {
  categoryId: string | null;
  voucherText: string;
  supplierId: string | null;
}

export interface PreparedBatch {
  index: CandidateIndex;
  items: Map<string, MatchItem>;
  details: Map<string, CandidateDetails>;
  context: (line: MatchLine) => MatchContext;
}

/**
 * Matching against the economy module's open items: loads the candidates of a batch of lines with one query per
 * kind (bills: the batch's amount range ± tolerance and due dates inside the block window, plus any bill whose OCR
 * a line carries; transactions: amount range and date window), builds the engine's index over them and ranks.
 * The engine's blocking then keeps every line to its own few candidates.
 */
@Injectable()
export class MatchingService {
  constructor(
    @Inject(BILLS) private readonly bills: BillsForMatching,
    @Inject(TRANSACTIONS) private readonly transactions: TransactionsForMatching,
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
    private readonly lines: BankLinesRepository,
    private readonly events: PolicyEventsRepository,
    private readonly clock: Clock,
    private readonly generation: MatchingGenerationService,
  ) {}

  async prepare(
    lines: readonly MatchLine[],
    excluded: Map<string, ReadonlySet<string>> = new Map(),
  ): Promise<PreparedBatch> {
    if (!lines.length)
      return { index: new CandidateIndex([]), items: new Map(), details: new Map(), context: noContext };
    let minAbs = Infinity;
    let maxAbs = 0;
    let minDate = lines[0].date;
    let maxDate = lines[0].date;
    for (const l of lines) {
      const abs = Math.abs(l.amount);
      minAbs = Math.min(minAbs, abs);
      maxAbs = Math.max(maxAbs, abs);
      if (l.date < minDate) minDate = l.date;
      if (l.date > maxDate) maxDate = l.date;
    }
    const amountMin = Math.max(1, minAbs - amountTolerance(minAbs));
    const amountMax = maxAbs + amountTolerance(maxAbs);
    const hasOut = lines.some((l) => l.amount < 0);
    const ocrs = [...new Set(lines.flatMap(ocrTokens))];
    const [bills, transactions, suppliers] = await Promise.all([
      hasOut
        ? this.bills.findOpenForMatching({
            amountMin,
            amountMax,
            dueFrom: addDays(minDate, -DATE_WINDOW.bill.after),
            dueTo: addDays(maxDate, DATE_WINDOW.bill.before),
            ocrs,
          })
        : Promise.resolve([]),
      this.transactions.findUnlinkedForMatching({
        amountMin,
        amountMax,
        dateFrom: addDays(minDate, -DATE_WINDOW.transaction.after),
        dateTo: addDays(maxDate, DATE_WINDOW.transaction.before),
      }),
      this.suppliers.listForMatching(),
    ]);
    const supplierMap = new Map(suppliers.map((s) => [s.id, s]));
    const sekBills = bills.filter((b) => b.currency === 'SEK');
    const items = [...sekBills.map(billItem), ...transactions.map((t) => transactionItem(t, supplierMap))];
    const details = new Map<string, CandidateDetails>();
    for (const b of sekBills) {
      const ref = b.invoiceNumber ? `faktura ${b.invoiceNumber}` : b.ocr ? `OCR ${b.ocr}` : '';
      details.set(b.id, {
        categoryId: b.categoryId,
        voucherText: [b.supplierName, ref].filter(Boolean).join(', '),
        supplierId: b.supplierId,
      });
    }
    for (const t of transactions) {
      details.set(t.id, {
        categoryId: t.categoryId,
        voucherText: [t.supplierName, t.description].filter(Boolean).join(', '),
        supplierId: t.supplierId,
      });
    }
    const keys = new Set<string>();
    for (const item of items) if (item.counterpartyKey) keys.add(item.counterpartyKey);
    for (const line of lines) keys.add(counterpartyKeyFor(line, null));
    const counts = await this.events.counts([...keys]);
    const history = (key: string): CounterpartyHistory | undefined => {
      const c = counts.get(key);
      return c ? { approved: c.approved + c.auto_booked, rejected: c.rejected + c.undone } : undefined;
    };
    return {
      index: new CandidateIndex(items),
      items: new Map(items.map((i) => [i.id, i])),
      details,
      context: (line) => ({ history, excluded: excluded.get(line.id) }),
    };
  }

  /**
   * Fresh ranked suggestions for one line (rejected candidates left out), stored on an open line with the
   * generation read before the candidates. For writes (reject, approve); GET …/suggestions serves the stored ones.
   */
  async suggestionsFor(line: BankLineDoc): Promise<{ suggestions: Suggestion[]; batch: PreparedBatch }> {
    const ml = toMatchLine(line);
    if (line.currency !== 'SEK') return { suggestions: [], batch: await this.prepare([]) };
    const generation = await this.generation.forRun();
    const excluded = await this.events.rejectedCandidates(line._id);
    const batch = await this.prepare([ml], new Map([[line._id, excluded]]));
    const suggestions = batch.index.suggest(ml, batch.context(ml));
    if (line.status === 'unmatched' || line.status === 'suggested' || line.status === 'rejected') {
      await this.lines.saveSuggestions(
        [
          {
            id: line._id,
            generation: line.generation,
            suggestions: suggestions.map(storedSuggestion),
            status: statusAfter(line.status, suggestions),
          },
        ],
        this.clock.now(),
        generation,
      );
    }
    return { suggestions, batch };
  }

  /**
   * Recomputes and caches the suggestions of open lines, in chunks; returns the batch decisions at the
   * automatic-booking bar (each item to one line at most) for the caller to book where a policy allows.
   */
  async refresh(
    lines: readonly BankLineDoc[],
  ): Promise<{ suggested: number; decisions: { line: BankLineDoc; suggestion: Suggestion }[] }> {
    let suggested = 0;
    const decisions: { line: BankLineDoc; suggestion: Suggestion }[] = [];
    // Read before any candidate is loaded: a change after this read replaces the token, so these lines show stale.
    const generation = await this.generation.forRun();
    // every line's claims, across the chunks: an item two lines of the run claim alike goes to neither
    const run = new RunClaims();
    // Open items are in SEK: lines in other currencies get no suggestions.
    const sorted = lines
      .filter((l) => l.currency === 'SEK')
      .sort((a, b) => (a.bookingDate < b.bookingDate ? -1 : a.bookingDate > b.bookingDate ? 1 : 0));
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const chunk = sorted.slice(i, i + CHUNK);
      const excluded: Map<string, ReadonlySet<string>> = await this.events.rejectedByLines(
        chunk.map((l) => l._id),
      );
      const matchLines = chunk.map(toMatchLine);
      const batch = await this.prepare(matchLines, excluded);
      // every line's suggestions and the batch decisions at the automatic bar, each line's candidates found once
      const { suggestions: ranked, decisions: decided } = suggestAndAssign(
        batch.index,
        matchLines,
        batch.context,
        {},
        AUTO_BOOKING_BAR,
        UNIQUE_MARGIN,
        run,
      );
      const updates = chunk.map((line, k) => {
        const suggestions = ranked[k];
        const status = statusAfter(line.status, suggestions);
        if (status === 'suggested') suggested++;
        return {
          id: line._id,
          generation: line.generation,
          suggestions: suggestions.map(storedSuggestion),
          status,
        };
      });
      await this.lines.saveSuggestions(updates, this.clock.now(), generation);
      chunk.forEach((line, k) => {
        const suggestion = decided.get(k);
        if (suggestion) decisions.push({ line, suggestion });
      });
    }
    return {
      suggested,
      decisions: decisions.filter(
        (d) => !run.contested(d.suggestion.candidate.id, d.line._id, d.suggestion.confidence),
      ),
    };
  }
}

/** A line's status after (re)matching: `rejected` stays while nothing new is suggested. */
export function statusAfter(current: LineStatus, suggestions: readonly Suggestion[]): LineStatus {
  const strong = suggestions.some((s) => s.confidence >= SUGGESTION_BAR);
  if (strong) return 'suggested';
  return current === 'rejected' ? 'rejected' : 'unmatched';
}
