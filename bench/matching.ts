/**
 * bench/matching — the bank-matching engine (blocking + scoring, pure functions, no database), measured on what
 * production runs and checked for being right, all in one run:
 *
 * 1. Production path (bench/matching/production.ts): a realistic year of Swedish statements (bench/matching/
 *    realistic.ts — 20 well-known suppliers, local ones, the hard classes real statements have), one import per
 *    month, matched like MatchingService.refresh: chunks of 500 lines with the items prepare() would load, the real
 *    context (counterparty history, rejected candidates), `suggest()` with its why texts read for every line, then
 *    the batch decisions at the automatic bar. Against the cheapest matcher on the same chunks: an exact hash join
 *    on (amount, OCR reference). Reported: the ratio of medians (alternating runs after warm-up).
 * 2. Precision and recall per line class at the suggestion bar (the best suggestion ≥ 0.5: the line shows as
 *    `suggested`) and at the automatic bar (the batch decisions: ≥ 0.9, unique), on a held-out seed — the weights
 *    were tuned on seeds 1–3 only. Targets: precision ≥ 0.99 at the suggestion bar, 1.0 at the automatic bar.
 * 3. The engine's best candidate equals the all-pairs one (every item of the chunk inside the date window scored
 *    with the same scorer, no blocking; an amount that is only close counts only with the name, as in scoring) on
 *    a sample of lines, wherever either reaches the suggestion bar.
 * 4. The earlier figure, kept comparable (bench/matching/legacy.ts): the batch decisions of 10 000 lines against
 *    10 000 items vs the hash join (target ≤ 3×), the naive all-pairs scorer extrapolated (≥ 100× slower), and
 *    precision/recall there.
 *
 *   npm run bench:matching   (BENCH_SEED, BENCH_BILLS, BENCH_RUNS, BENCH_WARMUP override; BENCH_WRONG=n prints n wrong
 *                             claims)
 *   MATCHING_SEEDS=1,2,3,20261202 npm run bench:matching   precision/recall at both bars per seed only (no timing),
 *                             every wrong automatic claim printed; fails unless the automatic bar is 1.0 on each
 */
import {
  assignBatch,
  CandidateIndex,
  nameCache,
  noContext,
  prepareItem,
  prepareUnindexedLine,
  scorePair,
  SUGGESTION_BAR,
} from '../src/modules/bank/matching/engine';
import { confidenceOf, DATE_WINDOW, WEIGHTS } from '../src/modules/bank/matching/scoring';
import type { MatchItem, MatchLine } from '../src/modules/bank/matching/types';
import { seededRandom } from '../src/common/seeded-random';
import { generateLegacy } from './matching/legacy';
import {
  chunksOf,
  classTable,
  evaluate,
  hashJoinPass,
  productionPass,
  type Chunk,
} from './matching/production';
import { generateRealistic } from './matching/realistic';
import { median, timeSync as time } from './lib/timing';

/** Held out: no weight was tuned on it (tuning used seeds 1, 2 and 3). */
const SEED = Number(process.env.BENCH_SEED ?? 20261202);
const BILLS = Number(process.env.BENCH_BILLS ?? 8_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 4);
const SAMPLE = 1_000;
const LEGACY_N = 10_000;
const LEGACY_SEED = 20261121;
const LEGACY_RUNS = 21;
const LEGACY_WARMUP = 40;

/** Alternating timed runs of two functions after warm-up; the medians. */
function race(a: () => unknown, b: () => unknown, runs: number, warmup: number): { a: number; b: number } {
  for (let w = 0; w < warmup; w++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < runs; r++) {
    ta.push(time(a).ms);
    tb.push(time(b).ms);
  }
  return { a: median(ta), b: median(tb) };
}

/**
 * The engine's best candidate against the all-pairs one on a sample of lines: every item of the line's chunk inside
 * the date window scored by scorePair (no blocking). Compared where either reaches the suggestion bar on its own
 * (pair) confidence; returns the sample size and the disagreements.
 */
function topCandidateCheck(chunks: readonly Chunk[]): { compared: number; differ: string[] } {
  const lines = chunks.reduce((n, c) => n + c.lines.length, 0);
  const step = Math.max(1, Math.floor(lines / SAMPLE));
  let position = 0;
  let compared = 0;
  const differ: string[] = [];
  for (const chunk of chunks) {
    const index = new CandidateIndex(chunk.items);
    const prepared = chunk.items.map(prepareItem);
    const features = nameCache();
    chunk.lines.forEach((line) => {
      if (position++ % step !== 0) return;
      compared++;
      const context = { history: chunk.context(line).history };
      const [engineTop] = index.rank(line, context, 1, 0);
      const engineId = engineTop && confidenceOf(engineTop.z) >= SUGGESTION_BAR ? engineTop.item.id : null;
      const pl = prepareUnindexedLine(line);
      let best: { id: string; z: number } | null = null;
      for (const p of prepared) {
        const w = DATE_WINDOW[p.item.type];
        const days = pl.day - p.day;
        if (days > w.after || days < -w.before) continue;
        const s = scorePair(pl, p, context, features);
        // the scoring rule of an amount that is only close: it counts only with the name (scoreInto's requireName)
        const closeWithoutName =
          s !== null &&
          s.signals.reference === null &&
          s.signals.amount.kind !== 'exact' &&
          (s.signals.name?.similarity ?? 0) < WEIGHTS.nameMin;
        if (s && !closeWithoutName && (!best || s.z > best.z || (s.z === best.z && p.item.id < best.id)))
          best = { id: p.item.id, z: s.z };
      }
      const allPairsId = best && confidenceOf(best.z) >= SUGGESTION_BAR ? best.id : null;
      if (engineId !== allPairsId) differ.push(`${line.id}: engine ${engineId}, all pairs ${allPairsId}`);
    });
  }
  return { compared, differ };
}

function legacy(): {
  ratio: number;
  engineMs: number;
  joinMs: number;
  naiveRatio: number;
  precision: number;
  recall: number;
} {
  const data = generateLegacy(LEGACY_N, LEGACY_SEED);
  const hashJoin = (items: MatchItem[], lines: MatchLine[]) => {
    const byKey = new Map<string, string>();
    for (const item of items) if (item.ocr) byKey.set(`${item.amount}|${item.ocr}`, item.id);
    const out = new Map<string, string>();
    for (const line of lines) {
      if (!line.reference) continue;
      const hit = byKey.get(`${Math.abs(line.amount)}|${line.reference.replace(/\D/g, '')}`);
      if (hit) out.set(line.id, hit);
    }
    return out;
  };
  const engine = () => assignBatch(new CandidateIndex(data.items), data.lines, noContext, 0.6);
  const { a: engineMs, b: joinMs } = race(
    () => engine().size,
    () => hashJoin(data.items, data.lines).size,
    LEGACY_RUNS,
    LEGACY_WARMUP,
  );
  const decisions = engine();
  let correct = 0;
  data.lines.forEach((line, k) => {
    if (data.truth.get(line.id) === decisions.itemId(k)) correct++;
  });
  // the naive all-pairs scorer on a 1 000 × 1 000 sample, extrapolated
  const sampleItems = data.items.slice(0, 1_000).map(prepareItem);
  const sampleLines = data.lines
    .filter((l) => {
      const t = data.truth.get(l.id);
      return !t || Number(t.slice(1)) <= 1_000;
    })
    .slice(0, 1_000)
    .map(prepareUnindexedLine);
  const naive = () => {
    const features = nameCache();
    let kept = 0;
    for (const line of sampleLines)
      for (const item of sampleItems) if (scorePair(line, item, {}, features)) kept++;
    return kept;
  };
  const naiveMs = time(naive).ms * ((LEGACY_N * LEGACY_N) / (sampleItems.length * sampleLines.length));
  return {
    ratio: engineMs / joinMs,
    engineMs,
    joinMs,
    naiveRatio: naiveMs / engineMs,
    precision: decisions.size ? correct / decisions.size : 0,
    recall: correct / data.truth.size,
  };
}

/** MATCHING_SEEDS: precision and recall at both bars on each seed (the tuning seeds and the held-out one). */
function perSeed(seeds: number[]): void {
  let ok = true;
  console.log(
    '| seed | lines | with an answer | claims ≥ 0.5 | precision | recall | automatic claims | precision | recall |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const wrongAuto: string[] = [];
  for (const seed of seeds) {
    const rand = seededRandom(seed);
    const data = generateRealistic(rand, BILLS);
    const { counts, wrong } = evaluate(chunksOf(data, rand));
    const c = counts.get('all')!;
    const r = (a: number, b: number) => (b ? (a / b).toFixed(4) : '—');
    console.log(
      `| ${seed} | ${c.lines} | ${c.answerable} | ${c.suggested} | ${r(c.suggestedRight, c.suggested)} | ` +
        `${r(c.suggestedRight, c.answerable)} | ${c.auto} | ${r(c.autoRight, c.auto)} | ${r(c.autoRight, c.answerable)} |`,
    );
    if (c.auto !== c.autoRight) ok = false;
    for (const w of wrong.filter((w) => w.bar === 'auto'))
      wrongAuto.push(
        `  wrong automatic claim, seed ${seed} (${w.cls}, ${w.confidence}): ${JSON.stringify(w.line)} → ${w.claimed} ` +
          `(truth ${w.truth ?? 'none'}): ${w.why}`,
      );
  }
  for (const w of wrongAuto) console.log(w);
  console.log(`  ${ok ? 'PASS' : 'FAIL'}  precision at the automatic bar = 1.0 on every seed`);
  process.exitCode = ok ? 0 : 1;
}

function main(): void {
  const seeds = process.env.MATCHING_SEEDS;
  if (seeds) return perSeed(seeds.split(',').map(Number));
  const old = legacy();
  const rand = seededRandom(SEED);
  const data = generateRealistic(rand, BILLS);
  const chunks = chunksOf(data, rand);
  const itemsPerChunk = Math.round(chunks.reduce((n, c) => n + c.items.length, 0) / chunks.length);
  console.log(
    `bench/matching — ${data.cases.length} lines, ${data.items.length} items, ${chunks.length} chunks (≤ 500 lines, ` +
      `${itemsPerChunk} open items each on average), seed ${SEED} (held out)`,
  );

  // 1. production path vs hash join
  const prod = race(
    () => productionPass(chunks),
    () => hashJoinPass(chunks),
    RUNS,
    WARMUP,
  );
  const prodRatio = prod.a / prod.b;
  const perLine = (prod.a * 1000) / data.cases.length;
  console.log(
    `  production path (index, suggest + why texts per line, batch decisions)  ${prod.a.toFixed(1)} ms ` +
      `(${perLine.toFixed(1)} µs per line)`,
  );
  console.log(
    `  exact hash join on the same chunks                                      ${prod.b.toFixed(1)} ms`,
  );
  console.log(
    `  ratio ${prodRatio.toFixed(1)}× (median of ${RUNS} alternating runs after ${WARMUP} warm-up runs)`,
  );

  // 2. precision / recall per class
  const { counts, wrong } = evaluate(chunks);
  console.log('\n' + classTable(counts) + '\n');
  const show = Number(process.env.BENCH_WRONG ?? 0);
  for (const w of wrong.slice(0, show))
    console.log(
      `  wrong (${w.bar}, ${w.cls}, ${w.confidence}): ${JSON.stringify(w.line)} → ${w.claimed}: ${w.why}`,
    );
  const all = counts.get('all')!;
  const suggestionPrecision = all.suggestedRight / all.suggested;
  const autoPrecision = all.auto ? all.autoRight / all.auto : 1;

  // 3. the engine's best candidate = the all-pairs one
  const top = topCandidateCheck(chunks);
  for (const d of top.differ.slice(0, 5)) console.log(`  top candidate differs — ${d}`);

  // 4. the earlier figure (measured first, above: on a fresh heap, as the earlier bench ran it)
  console.log(
    `\n  earlier measure: batch decisions of ${LEGACY_N} lines × ${LEGACY_N} items ${old.engineMs.toFixed(1)} ms vs ` +
      `hash join ${old.joinMs.toFixed(1)} ms = ${old.ratio.toFixed(2)}×; naive all-pairs ≈ ${old.naiveRatio.toFixed(0)}× ` +
      `slower; precision ${old.precision.toFixed(4)}, recall ${old.recall.toFixed(4)}`,
  );

  const checks: [string, boolean][] = [
    [
      `precision at the suggestion bar = ${suggestionPrecision.toFixed(4)} (target ≥ 0.99)`,
      suggestionPrecision >= 0.99,
    ],
    [`precision at the automatic bar = ${autoPrecision.toFixed(4)} (target 1.0)`, autoPrecision === 1],
    [
      `best candidate = all-pairs best on ${top.compared} sampled lines: ${top.compared - top.differ.length} agree`,
      top.differ.length === 0,
    ],
    [`earlier measure: engine / hash join = ${old.ratio.toFixed(2)}× (target ≤ 3×)`, old.ratio <= 3],
    [
      `earlier measure: naive / engine = ${old.naiveRatio.toFixed(0)}× (target ≥ 100×)`,
      old.naiveRatio >= 100,
    ],
    [
      `earlier measure: precision ${old.precision.toFixed(4)} / recall ${old.recall.toFixed(4)} (targets ≥ 0.98 / ≥ 0.95)`,
      old.precision >= 0.98 && old.recall >= 0.95,
    ],
  ];
  for (const [text, ok] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${text}`);
  console.log(`  (production path / hash join = ${prodRatio.toFixed(1)}×: reported, see docs/benchmarks.md)`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}

main();
