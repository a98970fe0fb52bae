/**
 * The matching engine: blocking, then scoring — never every line against every item.
 *
 * Blocking (CandidateIndex, built once per batch of open items):
 * - stage 1, reference index: OCR number → bills (any date, any amount), looked up with the line's reference and
 *   with digit runs typed into its text;
 * - stage 2, amount buckets × date window: per direction (in/out), exact amount (öre) → items, each kept only
 *   when its date is inside the window of its type (line − item: bills −60…+45 days around the due date,
 *   transactions ±14 days);
 * - stage 3, only while stages 1–2 found nothing convincing (< 0.9): the invoice-number index, and name blocks ×
 *   amount range × date window — items whose name shares a word prefix (first 4 letters of a normalised word)
 *   with the line's (blocks shared by more than 16 names are skipped when a more selective one exists), within
 *   the amount tolerance and the date window, kept only when the name similarity is at least 0.5: an amount that
 *   is merely close says little on its own.
 *
 * Scoring: see scoring.ts. Name similarity is the costly signal: names are normalised once per distinct string
 * (per index), and the similarity is skipped when reference + amount + date already make the pair decisive
 * (≥ 0.99).
 *
 * How it stays cheap (a batch of 10 000 lines costs about 2.8 times an exact hash join on (amount, reference),
 * see bench/matching.ts):
 * - one pass over the item objects when the index is built; after that the hot loops read numbers: per item one
 *   cache line of a Float64Array (amount, day, flags, the line that last saw it, chain links, name range, OCR
 *   key);
 * - exact amounts, OCR numbers and invoice numbers are open-addressing tables of int32 pairs (tag, first item)
 *   with the items chained through their rows — no array per bucket, no string keys. An OCR number of at most
 *   14 digits is its own key (number · 32 + length); longer ones and invoice numbers are hashed without building
 *   strings, and a hit is checked character by character;
 * - distinct item names get integer ids: features, word-prefix blocks, per name its items sorted by amount (one
 *   radix sort of the items), "visited" as a stamp per id; a line's names are normalised once per distinct text
 *   and shared by normalised name, with the similar names of its blocks kept per normalised name;
 * - each line's candidates are scored into reusable typed arrays and only the returned ones become objects; a
 *   batch first does the table lookups of all its lines in one tight loop (independent lookups: their cache misses
 *   overlap), keeps each line's best 3 in flat arrays (a linear top 3), orders the pairs by a counting sort on the
 *   rounded confidence and returns the decisions as numbers (BatchDecisions builds a line's suggestion when read);
 * - references, digit runs and invoice numbers are found by character scans, not regular expressions; the trigram
 *   merge of the name similarity is branch-free.
 */

export {
  assignBatch,
  AUTO_BOOKING_BAR,
  AUTO_TRANSACTION_DAYS,
  BatchDecisions,
  RunClaims,
  SUGGESTION_BAR,
  suggestAndAssign,
  UNIQUE_MARGIN,
  uniqueBest,
} from './batch-assignment';
export { CandidateIndex } from './candidate-index';
export {
  counterpartyKeyFor,
  nameCache,
  noContext,
  prepareItem,
  prepareLine,
  type MatchContext,
  type NameCache,
  type PreparedItem,
  type PreparedLine,
  type SuggestOptions,
} from './inputs';
export { prepareUnindexedLine, scorePair, scorePrepared, type UnindexedLine } from './naive';
export { signalsOf, toSuggestion, type Scored } from './suggestion';
export { isCardPurchase } from './tokens';
