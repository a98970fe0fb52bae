import type { BankLineDoc, LineStatus, StoredSuggestion } from './lines.schema';
import type { ContractHint } from '../matching/contract-hint';
import type { Suggestion } from '../matching/types';
import { OPEN_LINE_STATUSES } from './line-status';

export interface LineView {
  id: string;
  bankAccountId: string;
  importId: string;
  lineNo: number;
  bookingDate: string;
  valueDate: string | null;
  amount: number;
  currency: string;
  text: string;
  reference: string | null;
  counterpartyName: string | null;
  bankReference: string | null;
  endToEndId: string | null;
  balance: number | null;
  /** camt `BkTxCd` (`PMNT-CCRD-POSD`); null when the statement had none (CSV, lines imported before it was kept). */
  transactionCode: string | null;
  status: LineStatus;
  /** As of the last matching (`suggestedAt`), the same GET …/suggestions serves (see its stale header). */
  suggestions: Suggestion[];
  suggestedAt: Date | null;
  /**
   * An open line whose suggestions were computed before the organization's latest change to what matching reads
   * (or never): the rematch job that change queued recomputes them (docs/bank.md "Stored suggestions").
   */
  suggestionsStale: boolean;
  /**
   * An open money-out line that looks like the payment of a contract (docs/bank.md "Contract payments"): computed
   * when read, never stored; null otherwise. Approve with `create: {…, contractId}` to record the payment.
   */
  contract: ContractHint | null;
  matchId: string | null;
  voucherId: string | null;
  ignored: { reason: string; by: string; at: Date } | null;
  createdAt: Date;
}

export const suggestionFromStored = (s: StoredSuggestion): Suggestion => ({
  candidate: { type: s.candidateType, id: s.candidateId },
  label: s.label,
  confidence: s.confidence,
  why: s.why,
  signals: s.signals,
  counterpartyKey: s.counterpartyKey,
  scoreVersion: s.scoreVersion,
});

/** Open lines have suggestions; stale while their generation is not the organization's current one. */
export const isStale = (l: BankLineDoc, generation: string | null | undefined): boolean =>
  OPEN_LINE_STATUSES.includes(l.status) &&
  (!l.suggestionsGeneration || l.suggestionsGeneration !== generation);

/** `generation`: the organization's current matching generation (undefined: not read — an open line shows stale). */
export const lineView = (
  l: BankLineDoc,
  generation?: string | null,
  contract: ContractHint | null = null,
): LineView => ({
  id: l._id,
  bankAccountId: l.bankAccountId,
  importId: l.importId,
  lineNo: l.lineNo,
  bookingDate: l.bookingDate,
  valueDate: l.valueDate,
  amount: l.amount,
  currency: l.currency,
  text: l.text,
  reference: l.reference,
  counterpartyName: l.counterpartyName,
  bankReference: l.bankReference,
  endToEndId: l.endToEndId,
  balance: l.balance,
  transactionCode: l.transactionCode ?? null,
  status: l.status,
  suggestions: (l.suggestions ?? []).map(suggestionFromStored),
  suggestedAt: l.suggestedAt,
  suggestionsStale: isStale(l, generation),
  contract,
  matchId: l.matchId,
  voucherId: l.voucherId,
  ignored: l.ignored,
  createdAt: l.createdAt,
});
