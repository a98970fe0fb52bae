import type { BankLineDoc, LineStatus, StoredSuggestion } from './lines.schema';
import type { Suggestion } from '../matching/types';

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
  status: LineStatus;
  /** As of the last matching (`suggestedAt`), the same GET …/suggestions serves (see its stale header). */
  suggestions: Suggestion[];
  suggestedAt: Date | null;
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

export const lineView = (l: BankLineDoc): LineView => ({
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
  status: l.status,
  suggestions: (l.suggestions ?? []).map(suggestionFromStored),
  suggestedAt: l.suggestedAt,
  matchId: l.matchId,
  voucherId: l.voucherId,
  ignored: l.ignored,
  createdAt: l.createdAt,
});
