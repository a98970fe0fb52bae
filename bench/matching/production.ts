/**
 * What production runs when it (re)matches open lines (MatchingService.refresh): a statement per month, its lines by
 * booking date in chunks of 500; per chunk the open items prepare() would load (bills due inside the block window of the chunk's dates and
 * the amount range, any bill whose OCR number a line carries, transactions inside their window), one candidate
 * index, `suggest()` for every line with the real context (counterparty history, rejected candidates) and its why
 * texts read, then the batch decisions at the automatic-booking bar. Plus the per-class precision/recall of those
 * results against the known answer.
 */
import {
  assignBatch,
  AUTO_BOOKING_BAR,
  CandidateIndex,
  RunClaims,
  suggestAndAssign,
  SUGGESTION_BAR,
  UNIQUE_MARGIN,
  type MatchContext,
} from '../../src/modules/bank/matching/engine';
import { referenceTokens } from '../../src/modules/bank/matching/engine/tokens';
import { amountTolerance, DATE_WINDOW } from '../../src/modules/bank/matching/scoring';
import type { CounterpartyHistory, MatchItem, MatchLine } from '../../src/modules/bank/matching/types';
import type { Rand } from '../../src/common/seeded-random';
import {
  dayOf,
  LINE_CLASSES,
  monthOf,
  openDuring,
  type LineClass,
  type RealisticCase,
  type RealisticData,
} from './realistic';

export const CHUNK = 500;

export interface Chunk {
  lines: MatchLine[];
  classes: LineClass[];
  truths: (string | null)[];
  items: MatchItem[];
  context: (line: MatchLine) => MatchContext;
}

const lineDay = (line: MatchLine): number => dayOf({ date: line.date } as MatchItem);

/** The chunks production would match, with the items prepare() would load for each and a real context. */
export function chunksOf(data: RealisticData, rand: Rand): Chunk[] {
  const cases = [...data.cases].sort((a, b) =>
    a.line.date < b.line.date ? -1 : a.line.date > b.line.date ? 1 : 0,
  );
  // counterparty history: some suppliers approved a few times, some rejected once
  const histories = new Map<string, CounterpartyHistory>();
  for (const item of data.items)
    if (item.counterpartyKey && !histories.has(item.counterpartyKey) && rand() < 0.4)
      histories.set(item.counterpartyKey, {
        approved: Math.floor(rand() * 7),
        rejected: rand() < 0.2 ? 1 : 0,
      });
  const history = (key: string) => histories.get(key);
  // one statement (import) per calendar month, matched in chunks of CHUNK lines
  const statements = new Map<number, RealisticCase[]>();
  for (const c of cases) {
    const month = monthOf(lineDay(c.line));
    const list = statements.get(month);
    if (list) list.push(c);
    else statements.set(month, [c]);
  }
  const parts: { part: RealisticCase[]; statementStart: number }[] = [];
  for (const statement of statements.values())
    for (let i = 0; i < statement.length; i += CHUNK)
      parts.push({ part: statement.slice(i, i + CHUNK), statementStart: lineDay(statement[0].line) });
  const chunks: Chunk[] = [];
  for (const { part, statementStart } of parts) {
    const lines = part.map((c) => c.line);
    const from = statementStart;
    const to = lineDay(lines[lines.length - 1]);
    let minAbs = Infinity;
    let maxAbs = 0;
    for (const l of lines) {
      minAbs = Math.min(minAbs, Math.abs(l.amount));
      maxAbs = Math.max(maxAbs, Math.abs(l.amount));
    }
    const amountMin = Math.max(1, minAbs - amountTolerance(minAbs));
    const amountMax = maxAbs + amountTolerance(maxAbs);
    const ocrs = new Set(lines.flatMap(referenceTokens));
    const items = data.items.filter((item) => {
      if (!openDuring(data, item, from, to)) return false;
      const day = dayOf(item);
      if (item.type === 'bill') {
        if (item.ocr && ocrs.has(item.ocr)) return true;
        return (
          item.amount >= amountMin &&
          item.amount <= amountMax &&
          day >= from - DATE_WINDOW.bill.after &&
          day <= to + DATE_WINDOW.bill.before
        );
      }
      return (
        item.amount >= amountMin &&
        item.amount <= amountMax &&
        day >= from - DATE_WINDOW.transaction.after &&
        day <= to + DATE_WINDOW.transaction.before
      );
    });
    // a few lines had a candidate rejected before (never the right one: a rejected right answer is not a test)
    const excluded = new Map<string, ReadonlySet<string>>();
    part.forEach((c) => {
      if (rand() < 0.02) {
        const other = items[Math.floor(rand() * items.length)];
        if (other && other.id !== c.truth) excluded.set(c.line.id, new Set([other.id]));
      }
    });
    const contexts = new Map<string, MatchContext>(
      lines.map((l) => [l.id, { history, excluded: excluded.get(l.id) }]),
    );
    chunks.push({
      lines,
      classes: part.map((c) => c.cls),
      truths: part.map((c) => c.truth),
      items,
      context: (line) => contexts.get(line.id)!,
    });
  }
  return chunks;
}

/** One production pass over the chunks (see the top); returns a number so the work cannot be optimised away. */
export function productionPass(chunks: readonly Chunk[]): number {
  let sink = 0;
  const run = new RunClaims();
  for (const chunk of chunks) {
    const index = new CandidateIndex(chunk.items);
    // as MatchingService.refresh: every line's suggestions (why texts read) and the batch decisions
    const { suggestions: ranked, decisions: decided } = suggestAndAssign(
      index,
      chunk.lines,
      chunk.context,
      {},
      AUTO_BOOKING_BAR,
      UNIQUE_MARGIN,
      run,
    );
    for (const suggestions of ranked)
      for (const s of suggestions) sink += s.why.sv.length + s.why.en.length + s.signals.date.days;
    for (let k = 0; k < chunk.lines.length; k++) {
      const s = decided.get(k);
      if (s && !run.contested(s.candidate.id, chunk.lines[k].id, s.confidence)) sink += s.why.sv.length;
    }
  }
  return sink;
}

/** The baseline: an exact hash join on (amount, OCR reference) over the same chunks and items. */
export function hashJoinPass(chunks: readonly Chunk[]): number {
  let found = 0;
  for (const chunk of chunks) {
    const byKey = new Map<string, string>();
    for (const item of chunk.items) if (item.ocr) byKey.set(`${item.amount}|${item.ocr}`, item.id);
    for (const line of chunk.lines) {
      if (!line.reference) continue;
      if (byKey.get(`${Math.abs(line.amount)}|${line.reference.replace(/\D/g, '')}`)) found++;
    }
  }
  return found;
}

export interface ClassCounts {
  lines: number;
  /** Lines whose answer is an item. */
  answerable: number;
  suggested: number;
  suggestedRight: number;
  auto: number;
  autoRight: number;
}

export type Evaluation = Map<LineClass | 'all', ClassCounts>;

/**
 * Per class: claims at the suggestion bar (the best suggestion at or above SUGGESTION_BAR) and at the automatic
 * bar (the batch decisions), right when the claimed item is the line's answer. Also the wrong claims, for a look.
 */
export function evaluate(chunks: readonly Chunk[]): {
  counts: Evaluation;
  wrong: {
    cls: LineClass;
    bar: 'suggestion' | 'auto';
    line: MatchLine;
    claimed: string;
    why: string;
    confidence: number;
    truth: string | null;
  }[];
} {
  const counts: Evaluation = new Map();
  const zero = (): ClassCounts => ({
    lines: 0,
    answerable: 0,
    suggested: 0,
    suggestedRight: 0,
    auto: 0,
    autoRight: 0,
  });
  for (const cls of [...LINE_CLASSES, 'all' as const]) counts.set(cls, zero());
  const wrong: ReturnType<typeof evaluate>['wrong'] = [];
  // as MatchingService.refresh: one run over all the chunks (an item claimed alike in two chunks goes to neither)
  const run = new RunClaims();
  const batches = chunks.map((chunk) => {
    const index = new CandidateIndex(chunk.items);
    return {
      index,
      decided: assignBatch(index, chunk.lines, chunk.context, AUTO_BOOKING_BAR, UNIQUE_MARGIN, run),
    };
  });
  chunks.forEach((chunk, c) => {
    const { index, decided } = batches[c];
    chunk.lines.forEach((line, k) => {
      const cls = chunk.classes[k];
      const truth = chunk.truths[k];
      const [best] = index.suggest(line, chunk.context(line));
      const decision = decided.get(k);
      const auto =
        decision && !run.contested(decision.candidate.id, line.id, decision.confidence) ? decision : null;
      for (const c of [counts.get(cls)!, counts.get('all')!]) {
        c.lines++;
        if (truth) c.answerable++;
        if (best && best.confidence >= SUGGESTION_BAR) {
          c.suggested++;
          if (best.candidate.id === truth) c.suggestedRight++;
        }
        if (auto) {
          c.auto++;
          if (auto.candidate.id === truth) c.autoRight++;
        }
      }
      if (best && best.confidence >= SUGGESTION_BAR && best.candidate.id !== truth)
        wrong.push({
          cls,
          bar: 'suggestion',
          line,
          claimed: best.label,
          why: best.why.en,
          confidence: best.confidence,
          truth,
        });
      if (auto && auto.candidate.id !== truth)
        wrong.push({
          cls,
          bar: 'auto',
          line,
          claimed: auto.label,
          why: auto.why.en,
          confidence: auto.confidence,
          truth,
        });
    });
  });
  return { counts, wrong };
}

const ratio = (a: number, b: number): string => (b ? (a / b).toFixed(3) : '—');

/** The per-class table (markdown). */
export function classTable(counts: Evaluation): string {
  const rows = [
    `| class | lines | with an answer | claims ≥ ${SUGGESTION_BAR} | precision | recall | automatic claims (≥ ${AUTO_BOOKING_BAR}, unique) | precision | recall |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [cls, c] of counts)
    rows.push(
      `| ${cls === 'all' ? '**all**' : cls} | ${c.lines} | ${c.answerable} | ${c.suggested} | ${ratio(c.suggestedRight, c.suggested)} | ${ratio(c.suggestedRight, c.answerable)} | ${c.auto} | ${ratio(c.autoRight, c.auto)} | ${ratio(c.autoRight, c.answerable)} |`,
    );
  return rows.join('\n');
}
