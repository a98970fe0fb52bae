import { Inject, Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { DomainError, isNotFound, notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { BankError } from '../bank.errors';
import { BankAccountsRepository } from '../accounts/accounts.repository';
import { BankLinesRepository, OPEN_LINE_STATUSES } from '../lines/lines.repository';
import { BankMatchesRepository } from './matching.repository';
import type { BankLineDoc } from '../lines/lines.schema';
import type { BankPolicyDoc } from '../policies/policies.schema';
import type { BankMatchDoc } from './matching.schema';
import { stockholmDate } from '../common/dates';
import {
  CATEGORIES,
  SUPPLIERS,
  BILLS,
  TRANSACTIONS,
  type BillsForMatching,
  type CategoriesForBooking,
  type SuppliersForMatching,
  type TransactionsForMatching,
} from '../economy.ports';
import { PoliciesService } from '../policies/policies.service';
import {
  billPaymentRows,
  DEFAULT_ACCOUNTS,
  reversedRows,
  transactionRows,
  type CategoryAccount,
} from '../vouchers/booking-templates';
import { VouchersService, voucherView, type VoucherView } from '../vouchers/vouchers.service';
import { CONTRACT_PAYMENTS, type ContractPaymentsForBank } from '../contracts.ports';
import { ContractHintsService } from './contract-hints.service';
import type { CategoryForBooking } from '../../economy/economy.contract';
import { counterpartyKeyFor } from './engine';
import { MatchingGenerationService } from './generation.service';
import { MatchingService, statusAfter, toMatchLine } from './matching.service';
import type { CandidateType, MatchSignals, Suggestion } from './types';

/** A pending match that made no progress for this long may be replaced by a new approval. */
const STALE_PENDING_MS = 120_000;
const SYSTEM = 'system';

interface CreateInput {
  create: {
    categoryId: string;
    supplierId?: string | null;
    /** Record the new transaction as the payment of this contract's scheduled day. */
    contractId?: string;
    /** Default: the day of the line's contract hint for that contract. */
    contractPaymentDate?: string;
  };
}
export type ApproveInput = { candidateId: string } | CreateInput;

const sameCreate = (stored: NonNullable<BankMatchDoc['create']>, asked: CreateInput['create']): boolean =>
  stored.categoryId === asked.categoryId &&
  (stored.supplierId ?? null) === (asked.supplierId ?? null) &&
  (stored.contract?.id ?? null) === (asked.contractId ?? null) &&
  (!asked.contractPaymentDate || stored.contract?.date === asked.contractPaymentDate);

export interface MatchView {
  id: string;
  lineId: string;
  candidate: { type: CandidateType; id: string | null };
  created: boolean;
  /** Approve with `create` and a contract: the contract's payment day and what became of recording it. */
  contractPayment: {
    contractId: string;
    date: string;
    state: 'pending' | 'recorded' | 'refused' | 'removed';
  } | null;
  label: string;
  state: BankMatchDoc['state'];
  voucherId: string | null;
  correctionVoucherId: string | null;
  confidence: number | null;
  why: { sv: string; en: string } | null;
  signals: MatchSignals | null;
  scoreVersion: string | null;
  counterpartyKey: string;
  automatic: boolean;
  policyId: string | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  undoneBy: string | null;
  undoneAt: Date | null;
  createdAt: Date;
}

export const matchView = (m: BankMatchDoc): MatchView => ({
  id: m._id,
  lineId: m.lineId,
  candidate: { type: m.candidateType, id: m.candidateId },
  created: m.create !== null,
  contractPayment: m.create?.contract
    ? {
        contractId: m.create.contract.id,
        date: m.create.contract.date,
        state: m.contractPayment ?? 'pending',
      }
    : null,
  label: m.label,
  state: m.state,
  voucherId: m.voucherId,
  correctionVoucherId: m.correctionVoucherId,
  confidence: m.confidence,
  why: m.why,
  signals: m.signals,
  scoreVersion: m.scoreVersion,
  counterpartyKey: m.counterpartyKey,
  automatic: m.automatic,
  policyId: m.policyId,
  approvedBy: m.approvedBy,
  approvedAt: m.approvedAt,
  undoneBy: m.undoneBy,
  undoneAt: m.undoneAt,
  createdAt: m.createdAt,
});

interface Approver {
  automatic: boolean;
  actorId: string | null;
  policy: BankPolicyDoc | null;
}

const isEconomyError = (error: unknown, ...codes: string[]): boolean =>
  error instanceof DomainError && error.constructor.name === 'EconomyError' && codes.includes(error.code);

/**
 * Approve, reject, ignore and undo — the booking steps, without database transactions.
 *
 * Approve (idempotent per bank line and generation):
 *   1. claim: insert the match `pending` with two unique keys — the line (`<lineId>#<generation>`) and the item
 *      (`bill:<id>` / `transaction:<id>`) — so neither two approvals of one line nor two lines for one bill can
 *      both proceed;
 *   2. economy side: mark the bill paid / link the transaction / create the transaction, then `itemDone`;
 *   3. the voucher, idempotent by `sourceKey = match:<matchId>` (numbering: VouchersService);
 *   4. the line → matched (with match and voucher ids);
 *   5. the match → active; the policy event `approved` (unique eventKey); the audit entry.
 * A crash after any step leaves the match pending with its step markers: approving the line again with the same
 * candidate resumes at the first unfinished step. A pending match whose first step failed is removed (it touched
 * nothing). Undo (idempotent per match): match → undoing; correction voucher (`undo:<matchId>`); correction link;
 * bill reopened / transaction unlinked; line → unmatched (next generation); match → undone, its item claim
 * released; policy event `undone` (turns automatic booking off); audit.
 */
@Injectable()
export class BookingService {
  private readonly logger = new Logger(BookingService.name);

  constructor(
    private readonly lines: BankLinesRepository,
    private readonly matches: BankMatchesRepository,
    private readonly accounts: BankAccountsRepository,
    private readonly matching: MatchingService,
    private readonly policies: PoliciesService,
    private readonly vouchers: VouchersService,
    @Inject(BILLS) private readonly bills: BillsForMatching,
    @Inject(TRANSACTIONS) private readonly transactions: TransactionsForMatching,
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
    @Inject(CATEGORIES) private readonly categories: CategoriesForBooking,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
    private readonly generation: MatchingGenerationService,
    @Inject(CONTRACT_PAYMENTS) private readonly contractPayments: ContractPaymentsForBank,
    private readonly contractHints: ContractHintsService,
  ) {}

  // ---------------------------------------------------------------- approve

  async approve(lineId: string, input: ApproveInput): Promise<{ match: MatchView; voucher: VoucherView }> {
    const actorId = this.context.requireActor().userId;
    return this.approveAs(lineId, input, { automatic: false, actorId, policy: null }, null);
  }

  /** Books a line automatically (policy active, unique best candidate). Returns null when it was not booked. */
  async autoBook(
    line: BankLineDoc,
    suggestion: Suggestion,
    policy: BankPolicyDoc,
  ): Promise<{ match: MatchView; voucher: VoucherView } | null> {
    try {
      return await this.approveAs(
        line._id,
        { candidateId: suggestion.candidate.id },
        { automatic: true, actorId: null, policy },
        suggestion,
      );
    } catch (error) {
      if (error instanceof BankError) {
        this.logger.warn({ lineId: line._id, code: error.code }, 'Automatic booking skipped');
        return null;
      }
      throw error;
    }
  }

  private async approveAs(
    lineId: string,
    input: ApproveInput,
    approver: Approver,
    known: Suggestion | null,
  ): Promise<{ match: MatchView; voucher: VoucherView }> {
    const line = await this.lines.findById(lineId);
    if (!line) throw notFound('bank_line');
    const lineKey = `${line._id}#${line.generation}`;
    const wanted = 'candidateId' in input ? input.candidateId : null;

    const existing = await this.matches.byLineKey(lineKey);
    if (existing) {
      // The same request again (a retry) resumes or answers the booking; a different one is refused.
      const same = wanted
        ? existing.candidateId === wanted && existing.create === null
        : existing.create !== null && sameCreate(existing.create, (input as CreateInput).create);
      if (existing.state === 'active') {
        if (same) return this.result(existing);
        throw new BankError('LINE_NOT_OPEN');
      }
      // A pending match whose line is already matched is the same booking between its last two steps (another
      // request or instance is finishing it): resumed below like any pending one, never "not open".
      if (existing.state !== 'pending' && line.status === 'matched') throw new BankError('LINE_NOT_OPEN');
      if (existing.state === 'pending') {
        if (same) return this.run(existing, line, true);
        if (
          existing.itemDone ||
          this.clock.now().getTime() - new Date(existing.updatedAt).getTime() < STALE_PENDING_MS
        ) {
          throw new BankError('LINE_BOOKING_IN_PROGRESS', undefined, {
            matchId: existing._id,
            candidate: { type: existing.candidateType, id: existing.candidateId },
          });
        }
        await this.matches.dropPending(existing._id);
      }
    }
    if (!OPEN_LINE_STATUSES.includes(line.status)) throw new BankError('LINE_NOT_OPEN');

    const plan = wanted
      ? await this.planCandidate(line, wanted, known)
      : await this.planCreate(line, (input as CreateInput).create);
    const now = this.clock.now();
    const claimed = await this.matches.claim({
      _id: await this.ids.getNextGlobalId(),
      lineId: line._id,
      lineKey,
      claimKey: plan.claimKey,
      candidateType: plan.candidateType,
      candidateId: plan.candidateId,
      create: plan.create,
      contractPayment: null,
      label: plan.label,
      voucherText: plan.voucherText,
      categoryId: plan.categoryId,
      supplierId: plan.supplierId,
      state: 'pending',
      itemDone: false,
      voucherId: null,
      correctionVoucherId: null,
      confidence: plan.suggestion?.confidence ?? null,
      why: plan.suggestion ? { sv: plan.suggestion.why.sv, en: plan.suggestion.why.en } : null,
      signals: plan.suggestion?.signals ?? null,
      scoreVersion: plan.suggestion?.scoreVersion ?? null,
      counterpartyKey: plan.counterpartyKey,
      automatic: approver.automatic,
      policyId: approver.policy?._id ?? null,
      approvedBy: approver.actorId,
      approvedAt: now,
      undoneBy: null,
      undoneAt: null,
    });
    if (!claimed.ok) {
      if (claimed.taken === 'claimKey')
        throw new BankError('CANDIDATE_NOT_AVAILABLE', 'Another bank line is already matched to that item');
      // Someone else claimed this line generation between our read and insert: answer as a retry would.
      return this.approveAs(lineId, input, approver, known);
    }
    return this.run(claimed.match, line, false);
  }

  private async planCandidate(line: BankLineDoc, candidateId: string, known: Suggestion | null) {
    let suggestion = known;
    let batch;
    if (suggestion) {
      batch = await this.matching.prepare([toMatchLine(line)]);
    } else {
      const fresh = await this.matching.suggestionsFor(line);
      suggestion = fresh.suggestions.find((s) => s.candidate.id === candidateId) ?? null;
      batch = fresh.batch;
    }
    const item = batch.items.get(candidateId);
    const details = batch.details.get(candidateId);
    if (!suggestion || !item || !details) throw new BankError('CANDIDATE_NOT_AVAILABLE');
    return {
      candidateType: item.type,
      candidateId,
      claimKey: `${item.type}:${candidateId}`,
      create: null,
      label: item.label,
      voucherText: details.voucherText || line.text || item.label,
      categoryId: details.categoryId,
      supplierId: details.supplierId,
      counterpartyKey: suggestion.counterpartyKey,
      suggestion,
    };
  }

  private async planCreate(line: BankLineDoc, create: CreateInput['create']) {
    const contract = create.contractId ? await this.contractDay(line, create) : null;
    const category = await this.category(create.categoryId);
    if (!category)
      throw new BankError('INVALID_REFERENCE', 'categoryId does not name a category', {
        field: 'create.categoryId',
      });
    const kind = line.amount > 0 ? 'income' : 'expense';
    if (category.kind !== kind)
      throw new BankError(
        'CATEGORY_KIND_MISMATCH',
        `Money ${line.amount > 0 ? 'in' : 'out'} needs an ${kind} category`,
        { field: 'create.categoryId' },
      );
    let supplierName: string | null = null;
    if (create.supplierId) {
      const supplier = await this.suppliers.findForMatching(create.supplierId);
      if (!supplier)
        throw new BankError('INVALID_REFERENCE', 'supplierId does not name a supplier', {
          field: 'create.supplierId',
        });
      supplierName = supplier.name;
    }
    const lineName = line.counterpartyName || line.text || category.name;
    return {
      candidateType: 'transaction' as const,
      candidateId: null,
      claimKey: `line:${line._id}#${line.generation}`,
      create: { categoryId: create.categoryId, supplierId: create.supplierId ?? null, contract },
      label: supplierName ?? lineName,
      voucherText:
        [supplierName, line.text || line.counterpartyName].filter(Boolean).join(', ') || category.name,
      categoryId: create.categoryId,
      supplierId: create.supplierId ?? null,
      counterpartyKey: create.supplierId
        ? `supplier:${create.supplierId}`
        : counterpartyKeyFor(toMatchLine(line), null),
      suggestion: null,
    };
  }

  /**
   * The contract payment day an approval with `create.contractId` records, checked before anything is written: the
   * contract is one of this organization's (else 400 INVALID_REFERENCE), the day is one of its scheduled payment
   * days (default: the line's contract hint's day for that contract; else 422) and no other transaction or bill
   * paid it (409).
   */
  private async contractDay(
    line: BankLineDoc,
    create: CreateInput['create'],
  ): Promise<{ id: string; date: string }> {
    const id = create.contractId!;
    if (line.amount > 0)
      throw new BankError('CONTRACT_PAYMENT_MONEY_IN', undefined, { field: 'create.contractId' });
    let date = create.contractPaymentDate;
    if (!date) {
      const hint = await this.contractHints.hintFor(line);
      if (hint?.contractId === id) date = hint.paymentDate;
    }
    let day;
    try {
      // Also checks the contract when no date could be found: a foreign id is 400 before the 422 below.
      day = await this.contractPayments.paymentDay(id, date ?? line.bookingDate);
    } catch (error) {
      if (isNotFound(error))
        throw new BankError('INVALID_REFERENCE', 'contractId does not name a contract', {
          field: 'create.contractId',
        });
      throw error;
    }
    if (!date) date = day ? line.bookingDate : undefined;
    if (!day || !date)
      throw new BankError('CONTRACT_PAYMENT_NOT_SCHEDULED', undefined, {
        field: 'create.contractPaymentDate',
        contractId: id,
        date: date ?? null,
      });
    if (day.transactionId || day.billId)
      throw new BankError('CONTRACT_PAYMENT_LINKED', undefined, {
        field: 'create.contractId',
        contractId: id,
        date,
        transactionId: day.transactionId,
        billId: day.billId,
      });
    return { id, date };
  }

  /**
   * Step 2b: the contract payment of a `create` with a contract, once the transaction exists. Safe to repeat (the
   * contracts module keys it by contract and day and answers the same transaction again with no change). Refused
   * now although checked at the approval (the contract deleted, another transaction recorded for the day between the
   * two): the booking stands, the match says `refused` and the audit entry carries it — never a half-booked line.
   */
  private async recordContractPayment(match: BankMatchDoc): Promise<BankMatchDoc> {
    const contract = match.create?.contract;
    if (!contract || !match.candidateId || match.contractPayment) return match;
    let state: 'recorded' | 'refused' = 'recorded';
    try {
      await this.contractPayments.recordBankPayment(contract.id, contract.date, {
        transactionId: match.candidateId,
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      this.logger.warn(
        { matchId: match._id, contractId: contract.id, date: contract.date, code: error.code },
        'Contract payment not recorded',
      );
      state = 'refused';
    }
    return (
      (await this.matches.set(match._id, { contractPayment: state })) ?? { ...match, contractPayment: state }
    );
  }

  private async category(id: string | null): Promise<CategoryForBooking | null> {
    if (!id) return null;
    try {
      return await this.categories.getForBooking(id);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Steps 2–5 from wherever the match stands. */
  private async run(
    match: BankMatchDoc,
    line: BankLineDoc,
    resuming: boolean,
  ): Promise<{ match: MatchView; voucher: VoucherView }> {
    let current = match;
    if (!current.itemDone) current = await this.settleItem(current, line, resuming);
    current = await this.recordContractPayment(current);

    let voucherId = current.voucherId;
    if (!voucherId) {
      const voucher = await this.vouchers.write(await this.voucherDraft(current, line));
      voucherId = voucher._id;
      current = (await this.matches.set(current._id, { voucherId })) ?? current;
    }

    await this.lines.markMatched(line._id, line.generation, current._id, voucherId);
    const activated = await this.matches.set(current._id, { state: 'active' }, 'pending');
    current = activated ?? (await this.matches.findById(current._id)) ?? current;

    const policy = await this.policies.ensure(current.counterpartyKey, current.label, current.supplierId);
    await this.policies.record({
      kind: current.automatic ? 'auto_booked' : 'approved',
      eventKey: `${current.automatic ? 'auto_booked' : 'approved'}:${current._id}`,
      counterpartyKey: current.counterpartyKey,
      lineId: line._id,
      matchId: current._id,
      candidateId: current.candidateId,
      actorId: current.approvedBy,
    });
    // The item is no longer open and the counterparty's history moved: every open line's suggestions are stale.
    await this.generation.changed('policy');
    if (activated) {
      await this.audit.record({
        action: current.automatic ? AuditAction.BankLineAutoBooked : AuditAction.BankLineApproved,
        actorId: current.automatic ? null : undefined,
        targetType: 'bank_line',
        targetId: line._id,
        metadata: {
          matchId: current._id,
          voucherId,
          candidate: { type: current.candidateType, id: current.candidateId },
          created: current.create !== null,
          contractPayment: current.create?.contract
            ? { ...current.create.contract, state: current.contractPayment }
            : null,
          counterpartyKey: current.counterpartyKey,
          policyId: current.automatic ? (current.policyId ?? policy._id) : policy._id,
          automatic: current.automatic,
          scoreVersion: current.scoreVersion,
          confidence: current.confidence,
          why: current.why?.sv ?? null,
        },
      });
    }
    return this.result(current);
  }

  /** Step 2: the economy side. */
  private async settleItem(match: BankMatchDoc, line: BankLineDoc, resuming: boolean): Promise<BankMatchDoc> {
    let candidateId = match.candidateId;
    try {
      if (match.create) {
        const kind = line.amount > 0 ? 'income' : 'expense';
        const created = await this.transactions.createFromBank({
          date: line.bookingDate,
          amount: Math.abs(line.amount),
          type: kind,
          description: (line.text || line.counterpartyName || match.label).slice(0, 500),
          categoryId: match.create.categoryId,
          supplierId: match.create.supplierId,
          bankLineId: line._id,
        });
        candidateId = created.id;
      } else if (match.candidateType === 'bill') {
        await this.bills.markPaid(candidateId!, { paidAt: line.bookingDate, bankLineId: line._id });
      } else {
        await this.transactions.linkBankLine(candidateId!, line._id);
      }
    } catch (error) {
      if (
        !isNotFound(error) &&
        !isEconomyError(error, 'LINKED_TO_BANK_LINE', 'INVALID_REFERENCE', 'CATEGORY_KIND_MISMATCH')
      )
        throw error;
      // On a resumed bill payment, "not open" most likely means our own earlier try paid it: the item claim in
      // bank_matches keeps other bank lines away, so carry on.
      if (!(resuming && match.candidateType === 'bill' && isNotFound(error))) {
        await this.matches.dropPending(match._id);
        throw new BankError('CANDIDATE_NOT_AVAILABLE', undefined, { reason: (error as DomainError).code });
      }
    }
    return (
      (await this.matches.set(match._id, { itemDone: true, candidateId })) ?? {
        ...match,
        itemDone: true,
        candidateId,
      }
    );
  }

  private async voucherDraft(match: BankMatchDoc, line: BankLineDoc) {
    const account = await this.accounts.findById(line.bankAccountId, { withDeleted: true });
    const bank = {
      account: account?.ledgerAccount ?? DEFAULT_ACCOUNTS.bank.account,
      name: account?.name ?? DEFAULT_ACCOUNTS.bank.name,
    };
    const settings = await this.vouchers.settings();
    const category: CategoryAccount | null = await this.category(match.categoryId);
    const rows =
      match.candidateType === 'bill'
        ? billPaymentRows({
            amount: Math.abs(line.amount),
            bank,
            billBooking: settings.billBooking,
            category,
          })
        : transactionRows({ amount: line.amount, bank, category });
    return {
      date: line.bookingDate,
      text: match.voucherText,
      rows,
      source: {
        bankLineId: line._id,
        bankAccountId: line.bankAccountId,
        billId: match.candidateType === 'bill' ? match.candidateId : null,
        transactionId: match.candidateType === 'transaction' ? match.candidateId : null,
        importId: line.importId,
        matchId: match._id,
      },
      sourceKey: `match:${match._id}`,
      createdBy: match.approvedBy ?? SYSTEM,
      approvedBy: match.approvedBy,
      approvedAt: match.approvedAt,
      automatic: match.automatic,
      corrects: null,
      policy:
        match.automatic && match.policyId
          ? {
              id: match.policyId,
              counterpartyKey: match.counterpartyKey,
              ...(await this.policyFacts(match.counterpartyKey)),
            }
          : null,
      scoreVersion: match.scoreVersion,
      confidence: match.confidence,
    };
  }

  private async policyFacts(
    counterpartyKey: string,
  ): Promise<{ autoEnabledBy: string | null; autoEnabledAt: Date | null }> {
    const policy = await this.policies.byKey(counterpartyKey);
    return { autoEnabledBy: policy?.autoEnabledBy ?? null, autoEnabledAt: policy?.autoEnabledAt ?? null };
  }

  private async result(match: BankMatchDoc): Promise<{ match: MatchView; voucher: VoucherView }> {
    return { match: matchView(match), voucher: await this.vouchers.get(match.voucherId!) };
  }

  // ---------------------------------------------------------------- undo

  async undo(matchId: string): Promise<{ match: MatchView; correction: VoucherView; original: VoucherView }> {
    const actorId = this.context.requireActor().userId;
    let match = await this.matches.findById(matchId);
    if (!match) throw notFound('bank_match');
    if (match.state === 'undone') throw new BankError('MATCH_ALREADY_UNDONE');
    if (match.state === 'pending')
      throw new BankError(
        'LINE_BOOKING_IN_PROGRESS',
        'The booking of this match is not finished: approve the line again to complete it first',
      );
    if (match.state === 'active')
      match =
        (await this.matches.set(
          match._id,
          { state: 'undoing', undoneBy: actorId, undoneAt: this.clock.now() },
          'active',
        )) ?? (await this.matches.findById(matchId))!;
    if (match.state !== 'undoing') throw new BankError('MATCH_ALREADY_UNDONE');

    const original = await this.vouchers.findRaw(match.voucherId!);
    if (!original) throw notFound('voucher');
    const line = await this.lines.findById(match.lineId);
    if (!line) throw notFound('bank_line');
    const undoneBy = match.undoneBy ?? actorId;
    const undoneAt = match.undoneAt ?? this.clock.now();

    const correction = await this.vouchers.write({
      date: stockholmDate(this.clock.now()),
      text: `Rättelse av ${original.series}${original.number}: ${original.text}`,
      rows: reversedRows(original.rows),
      source: { ...original.source, matchId: match._id },
      sourceKey: `undo:${match._id}`,
      createdBy: undoneBy,
      approvedBy: undoneBy,
      approvedAt: undoneAt,
      automatic: false,
      corrects: original._id,
      policy: null,
      scoreVersion: null,
      confidence: null,
    });
    await this.vouchers.linkCorrection(original._id, correction._id);

    if (match.candidateId) {
      if (match.candidateType === 'bill') await this.bills.reopen(match.candidateId);
      else await this.transactions.linkBankLine(match.candidateId, null);
    }
    // The contract payment this booking recorded goes to the trash with it (restorable there), if it still names the
    // booking's transaction; a payment a person changed since is left alone.
    const contract = match.create?.contract;
    if (contract && match.candidateId && match.contractPayment === 'recorded') {
      try {
        await this.contractPayments.removeBankPayment(contract.id, contract.date, match.candidateId);
      } catch (error) {
        if (!isNotFound(error)) throw error; // the contract went to the trash, its payments with it
      }
      match = (await this.matches.set(match._id, { contractPayment: 'removed' })) ?? match;
    }
    if (line.matchId === match._id)
      await this.lines.reopenFromMatch(line._id, match._id, line.generation + 1);
    const done = await this.matches.set(
      match._id,
      {
        state: 'undone',
        claimKey: `released:${match._id}`,
        correctionVoucherId: correction._id,
        undoneBy,
        undoneAt,
      },
      'undoing',
    );
    await this.policies.record({
      kind: 'undone',
      eventKey: `undone:${match._id}`,
      counterpartyKey: match.counterpartyKey,
      lineId: line._id,
      matchId: match._id,
      candidateId: match.candidateId,
      actorId: undoneBy,
    });
    // The item is open again, the line has no suggestions, the history moved: recomputed by the rematch job.
    await this.generation.changed('policy');
    if (done) {
      await this.audit.record({
        action: AuditAction.BankMatchUndone,
        targetType: 'bank_match',
        targetId: match._id,
        metadata: {
          lineId: line._id,
          voucherId: original._id,
          correctionVoucherId: correction._id,
          candidate: { type: match.candidateType, id: match.candidateId },
          contractPayment: match.create?.contract
            ? { ...match.create.contract, state: match.contractPayment }
            : null,
          counterpartyKey: match.counterpartyKey,
          automatic: match.automatic,
        },
      });
    }
    const final = done ?? (await this.matches.findById(matchId))!;
    const links = await this.vouchers.get(original._id);
    return { match: matchView(final), correction: voucherView(correction, null), original: links };
  }

  async getMatch(id: string): Promise<MatchView> {
    const match = await this.matches.findById(id);
    if (!match) throw notFound('bank_match');
    return matchView(match);
  }

  // ---------------------------------------------------------------- reject / ignore

  async reject(
    lineId: string,
    candidateId: string,
  ): Promise<{ lineId: string; status: string; suggestions: Suggestion[]; policyId: string }> {
    const actorId = this.context.requireActor().userId;
    const line = await this.lines.findById(lineId);
    if (!line) throw notFound('bank_line');
    if (!OPEN_LINE_STATUSES.includes(line.status)) throw new BankError('LINE_NOT_OPEN');
    const { suggestions } = await this.matching.suggestionsFor(line);
    const rejected = suggestions.find((s) => s.candidate.id === candidateId);
    if (!rejected) throw new BankError('CANDIDATE_NOT_AVAILABLE');
    const policy = await this.policies.ensure(
      rejected.counterpartyKey,
      rejected.label,
      rejected.counterpartyKey.startsWith('supplier:') ? rejected.counterpartyKey.slice(9) : null,
    );
    await this.policies.record({
      kind: 'rejected',
      eventKey: `rejected:${line._id}:${candidateId}`,
      counterpartyKey: rejected.counterpartyKey,
      lineId: line._id,
      matchId: null,
      candidateId,
      actorId,
    });
    // The counterparty's history moved (other lines' confidences); this line is recomputed now, the others by the
    // rematch job.
    await this.generation.changed('policy');
    // Recomputed without the rejected candidate; with nothing strong left the line shows as `rejected`.
    const after = (await this.matching.suggestionsFor({ ...line, status: 'rejected' })).suggestions;
    const status = statusAfter('rejected', after);
    await this.audit.record({
      action: AuditAction.BankLineRejected,
      targetType: 'bank_line',
      targetId: line._id,
      metadata: {
        candidate: rejected.candidate,
        counterpartyKey: rejected.counterpartyKey,
        policyId: policy._id,
        confidence: rejected.confidence,
        scoreVersion: rejected.scoreVersion,
        why: rejected.why.sv,
      },
    });
    return { lineId: line._id, status, suggestions: after, policyId: policy._id };
  }

  async ignore(lineId: string, reason: string): Promise<BankLineDoc> {
    const actorId = this.context.requireActor().userId;
    const line = await this.lines.findById(lineId);
    if (!line) throw notFound('bank_line');
    const result = await this.lines.ignore(lineId, { reason, by: actorId, at: this.clock.now() });
    if (!result) throw new BankError('LINE_NOT_OPEN');
    await this.audit.record({
      action: AuditAction.BankLineIgnored,
      targetType: 'bank_line',
      targetId: lineId,
      changes: { before: { status: result.before.status }, after: { status: 'ignored' } },
      metadata: { reason },
    });
    return result.after;
  }

  async unignore(lineId: string): Promise<BankLineDoc> {
    const line = await this.lines.findById(lineId);
    if (!line) throw notFound('bank_line');
    const result = await this.lines.unignore(lineId);
    if (!result) throw new BankError('LINE_NOT_IGNORED');
    await this.audit.record({
      action: AuditAction.BankLineUnignored,
      targetType: 'bank_line',
      targetId: lineId,
      changes: { before: { status: 'ignored' }, after: { status: 'unmatched' } },
    });
    await this.generation.lineChanged();
    return result.after;
  }
}
