import { Inject, Injectable } from '@nestjs/common';
import { addMonthsToDate } from '../../../common/dates';
import { isNotFound, notFound, referenced } from '../../../common/errors/domain-error';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { paymentsBetween } from '../common/schedule';
import { CONTRACTS_RECORD_TYPES } from '../contracts.records';
import { ContractsError } from '../contracts.errors';
import { ContractsService, termsOf } from '../contracts/contracts.service';
import type {
  ContractPaymentDay,
  ContractPaymentsForBank,
  ContractWithPaymentDays,
} from '../contracts.contract';
import { BILLS, TRANSACTIONS, type PaidBy } from '../economy.ports';
import { ContractPaymentsRepository } from './payments.repository';
import type { ContractPaymentDoc } from './payments.schema';

export interface PaymentInput {
  amount?: number;
  transactionId?: string | null;
  billId?: string | null;
  note?: string | null;
}

export interface PaymentView {
  date: string;
  /** What the contract's price says for that day. */
  scheduledAmount: number;
  /** The actual amount when recorded, else the scheduled one. */
  amount: number;
  recorded: boolean;
  transactionId: string | null;
  billId: string | null;
  note: string | null;
}

const paymentDay = (
  date: string,
  scheduledAmount: number,
  p: ContractPaymentDoc | null | undefined,
): ContractPaymentDay => ({
  date,
  scheduledAmount,
  recorded: !!p,
  transactionId: p?.transactionId ?? null,
  billId: p?.billId ?? null,
});

const AUDITED = ['date', 'amount', 'transactionId', 'billId', 'note'];

/**
 * Variable amounts: what each scheduled payment of a contract actually cost, linked to the transaction or bill that
 * paid it. The contract's cost so far and its statistics use them where recorded.
 */
@Injectable()
export class ContractPaymentsService implements ContractPaymentsForBank {
  constructor(
    private readonly payments: ContractPaymentsRepository,
    private readonly contracts: ContractsService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
    @Inject(TRANSACTIONS) private readonly transactions: PaidBy,
    @Inject(BILLS) private readonly bills: PaidBy,
  ) {}

  /** The scheduled payments from `from` to `to` (default: the last 12 months and the next 3) with their actuals. */
  async list(contractId: string, range: { from?: string; to?: string }): Promise<PaymentView[]> {
    const contract = await this.contracts.require(contractId);
    const today = this.contracts.today();
    const from = range.from ?? addMonthsToDate(today, -12);
    const to = range.to ?? addMonthsToDate(today, 3);
    const actual = new Map((await this.payments.ofContracts([contractId])).map((p) => [p.date, p]));
    return paymentsBetween(termsOf(contract), from, to).map(({ date, amount }) => {
      const p = actual.get(date);
      return {
        date,
        scheduledAmount: amount,
        amount: p?.amount ?? amount,
        recorded: !!p,
        transactionId: p?.transactionId ?? null,
        billId: p?.billId ?? null,
        note: p?.note ?? null,
      };
    });
  }

  /** Records (or corrects) what the payment of `date` cost; the amount defaults to the linked transaction's or bill's. */
  async record(
    contractId: string,
    date: string,
    input: PaymentInput,
    options: { onlyIfOpenFor?: string } = {},
  ): Promise<PaymentView> {
    const contract = await this.contracts.require(contractId);
    const [scheduled] = paymentsBetween(termsOf(contract), date, date);
    if (!scheduled) throw notFound(CONTRACTS_RECORD_TYPES.payment); // no payment on that day
    const linked = await this.linked(input);
    const amount = input.amount ?? linked?.amount;
    if (amount === undefined)
      throw new ContractsError(
        'INVALID_REFERENCE',
        'give an amount or the transaction or bill that paid it',
        {
          field: 'amount',
        },
      );
    const fields = {
      amount,
      transactionId: input.transactionId ?? null,
      billId: input.billId ?? null,
      note: input.note ?? null,
    };
    let before: Partial<ContractPaymentDoc> = {};
    let after: ContractPaymentDoc | null = null;
    for (let attempt = 0; attempt < 2 && !after; attempt++) {
      const current = await this.payments.findOn(contractId, date);
      if (current) {
        const result = options.onlyIfOpenFor
          ? await this.payments.changeIfOpenFor(current._id, options.onlyIfOpenFor, fields)
          : await this.payments.change(current._id, fields);
        if (!result && options.onlyIfOpenFor)
          throw new ContractsError('CONTRACT_PAYMENT_LINKED', undefined, { contractId, date });
        before = result?.before ?? {};
        after = result?.after ?? null;
      } else {
        const created = await this.payments.addPayment({
          _id: await this.ids.getNextGlobalId(),
          contractId,
          date,
          ...fields,
        });
        if (created !== TAKEN) after = created; // else a concurrent request stored the day first: change it
      }
    }
    if (!after) throw notFound(CONTRACTS_RECORD_TYPES.payment);
    await this.audit.record({
      action: AuditAction.ContractPaymentRecorded,
      targetType: CONTRACTS_RECORD_TYPES.contract,
      targetId: contractId,
      changes: diffFields(before, after, AUDITED),
    });
    return { date, scheduledAmount: scheduled.amount, recorded: true, ...fields };
  }

  /** The recorded amount of `date` goes to the trash; the scheduled amount counts again. */
  async remove(contractId: string, date: string): Promise<UndoPayload> {
    await this.contracts.require(contractId);
    const payment = await this.payments.findOn(contractId, date);
    if (!payment) throw notFound(CONTRACTS_RECORD_TYPES.payment);
    return this.trash.delete(CONTRACTS_RECORD_TYPES.payment, payment._id);
  }

  // ------------------------------------------------------------ the bank module (contracts.contract.ts)

  async paymentDaysOfProviders(
    providerIds: string[],
    from: string,
    to: string,
  ): Promise<ContractWithPaymentDays[]> {
    const contracts = await this.contracts.ofProvidersFrom(providerIds, from);
    const withDays = contracts
      .map((c) => ({ c, days: paymentsBetween(termsOf(c), from, to) }))
      .filter(({ c, days }) => c.providerId && days.length);
    if (!withDays.length) return [];
    const recorded = new Map(
      (await this.payments.ofContracts(withDays.map(({ c }) => c._id))).map((p) => [
        `${p.contractId}|${p.date}`,
        p,
      ]),
    );
    return withDays.map(({ c, days }) => ({
      id: c._id,
      name: c.name,
      providerId: c.providerId!,
      currency: c.currency,
      variableAmount: c.variableAmount,
      payments: days.map(({ date, amount }) => paymentDay(date, amount, recorded.get(`${c._id}|${date}`))),
    }));
  }

  async paymentDay(contractId: string, date: string): Promise<ContractPaymentDay | null> {
    const contract = await this.contracts.require(contractId);
    const [scheduled] = paymentsBetween(termsOf(contract), date, date);
    if (!scheduled) return null;
    return paymentDay(date, scheduled.amount, await this.payments.findOn(contractId, date));
  }

  async recordBankPayment(contractId: string, date: string, input: { transactionId: string }): Promise<void> {
    const day = await this.paymentDay(contractId, date);
    if (!day) throw notFound(CONTRACTS_RECORD_TYPES.payment);
    if (day.transactionId === input.transactionId) return; // already recorded: a retried booking
    if (day.transactionId || day.billId)
      throw new ContractsError('CONTRACT_PAYMENT_LINKED', undefined, { contractId, date });
    const existing = await this.payments.findOn(contractId, date);
    await this.record(
      contractId,
      date,
      { transactionId: input.transactionId, note: existing?.note ?? null },
      { onlyIfOpenFor: input.transactionId },
    );
    // Two bookings for the same day can both pass the check above: the record is changed only while the day is
    // open (atomic on MongoDB), and the booking whose transaction is not on the day afterwards is refused (its
    // match says `refused`) — FerretDB does not isolate concurrent updates, so this re-read is the guard there.
    const stored = await this.payments.findOn(contractId, date);
    if (stored?.transactionId !== input.transactionId)
      throw new ContractsError('CONTRACT_PAYMENT_LINKED', undefined, { contractId, date });
  }

  async removeBankPayment(contractId: string, date: string, transactionId: string): Promise<void> {
    const payment = await this.payments.findOn(contractId, date);
    if (!payment || payment.transactionId !== transactionId) return;
    try {
      await this.trash.delete(CONTRACTS_RECORD_TYPES.payment, payment._id);
    } catch (error) {
      if (!isNotFound(error)) throw error; // deleted meanwhile: the same end
    }
  }

  private async linked(input: PaymentInput): Promise<{ amount: number } | null> {
    const read = (port: PaidBy, id: string, field: string) =>
      referenced(
        () => port.get(id),
        () => new ContractsError('INVALID_REFERENCE', `${field} does not name a record`, { field }),
      );
    const transaction = input.transactionId
      ? await read(this.transactions, input.transactionId, 'transactionId')
      : null;
    const bill = input.billId ? await read(this.bills, input.billId, 'billId') : null;
    return transaction ?? bill;
  }
}
