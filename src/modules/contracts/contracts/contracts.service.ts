import { Inject, Injectable } from '@nestjs/common';
import { stockholmDate } from '../../../common/dates';
import { notFound, referenced } from '../../../common/errors/domain-error';
import { normalizeKey } from '../../../common/text';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import {
  cancellationOutlook,
  costSoFar,
  nextPayments,
  normalizedCost,
  priceAt,
  savingsIfCancelledToday,
  type ContractTerms,
  type Frequency,
  type NoticePeriod,
  type Payment,
} from '../common/schedule';
import { CONTRACTS_RECORD_TYPES } from '../contracts.records';
import { ContractsError } from '../contracts.errors';
import {
  CATEGORIES,
  SUPPLIERS,
  type CategoriesForBooking,
  type SuppliersForMatching,
} from '../economy.ports';
import {
  MAX_PRICE_STEPS,
  type ContractKind,
  type ContractStatus,
  type FrequencyName,
} from './contract-kinds';
import { ContractsRepository, type ContractChange, type ContractFilter } from './contracts.repository';
import type { ContractDoc, PriceStepDoc } from './contracts.schema';
import { ContractPaymentsRepository } from '../payments/payments.repository';

export interface ContractInput {
  name: string;
  kind: ContractKind;
  providerId?: string | null;
  categoryId?: string | null;
  currency?: string;
  frequency: FrequencyName;
  everyMonths?: number;
  /** Öre per period from `startDate`. */
  amount: number;
  /** Later steps of the price (an intro price that steps up), each from a date after the start. */
  priceSteps?: PriceStepDoc[];
  variableAmount?: boolean;
  startDate: string;
  bindingMonths?: number;
  notice?: NoticePeriod | null;
  renewalMonths?: number | null;
  endDate?: string | null;
  notes?: string | null;
  reminderLeadDays?: number[] | null;
}

export type ContractPatch = Partial<Omit<ContractInput, 'amount' | 'priceSteps'>>;

export interface ContractView {
  id: string;
  name: string;
  kind: ContractKind;
  providerId: string | null;
  categoryId: string | null;
  currency: string;
  frequency: FrequencyName;
  everyMonths: number | null;
  /** The price in effect today (öre per period). */
  amount: number;
  prices: PriceStepDoc[];
  variableAmount: boolean;
  startDate: string;
  bindingMonths: number;
  notice: NoticePeriod | null;
  renewalMonths: number | null;
  cancelledOn: string | null;
  endDate: string | null;
  notes: string | null;
  reminderLeadDays: number[] | null;
  status: ContractStatus;
  /** Computed for `today` (Europe/Stockholm). */
  outlook: {
    today: string;
    nextPayments: Payment[];
    boundUntil: string | null;
    lastDayToCancel: string | null;
    endsIfCancelledToday: string;
    renewsOn: string | null;
    monthlyCost: number;
    yearlyCost: number;
    costSoFar: number;
    savingsIfCancelledToday: number;
  };
  createdAt: Date;
  updatedAt: Date;
}

const AUDITED = [
  'name',
  'kind',
  'providerId',
  'categoryId',
  'currency',
  'frequencyUnit',
  'frequencyEvery',
  'prices',
  'variableAmount',
  'startDate',
  'bindingMonths',
  'noticeUnit',
  'noticeCount',
  'renewalMonths',
  'cancelledOn',
  'endDate',
  'notes',
  'reminderLeadDays',
];

const FREQUENCY: Record<Exclude<FrequencyName, 'every_n_months'>, Frequency> = {
  weekly: { unit: 'week', every: 1 },
  monthly: { unit: 'month', every: 1 },
  quarterly: { unit: 'month', every: 3 },
  half_yearly: { unit: 'month', every: 6 },
  yearly: { unit: 'month', every: 12 },
};

function frequencyOf(name: FrequencyName, everyMonths: number | undefined): Frequency {
  if (name !== 'every_n_months') return FREQUENCY[name];
  if (!everyMonths)
    throw new ContractsError('INVALID_SCHEDULE', 'every_n_months needs everyMonths', {
      field: 'everyMonths',
    });
  return { unit: 'month', every: everyMonths };
}

function frequencyName(c: ContractDoc): { frequency: FrequencyName; everyMonths: number | null } {
  const named = (Object.keys(FREQUENCY) as (keyof typeof FREQUENCY)[]).find(
    (name) => FREQUENCY[name].unit === c.frequencyUnit && FREQUENCY[name].every === c.frequencyEvery,
  );
  return named
    ? { frequency: named, everyMonths: null }
    : { frequency: 'every_n_months', everyMonths: c.frequencyEvery };
}

export const termsOf = (c: ContractDoc): ContractTerms => ({
  startDate: c.startDate,
  frequency: { unit: c.frequencyUnit, every: c.frequencyEvery },
  prices: c.prices,
  bindingMonths: c.bindingMonths,
  notice: c.noticeUnit ? { unit: c.noticeUnit, count: c.noticeCount } : null,
  renewalMonths: c.renewalMonths,
  endDate: c.endDate,
});

export function statusOn(c: Pick<ContractDoc, 'cancelledOn' | 'endDate'>, today: string): ContractStatus {
  if (!c.endDate) return 'active';
  if (c.endDate >= today) return 'ending';
  return c.cancelledOn ? 'cancelled' : 'ended';
}

/** The contract on `today`; `actuals` (recorded amounts by payment day) replace scheduled ones in the cost so far. */
export function view(c: ContractDoc, today: string, actuals?: ReadonlyMap<string, number>): ContractView {
  const terms = termsOf(c);
  const outlook = cancellationOutlook(terms, today);
  const cost = normalizedCost(terms, today < c.startDate ? c.startDate : today);
  return {
    id: c._id,
    name: c.name,
    kind: c.kind,
    providerId: c.providerId,
    categoryId: c.categoryId,
    currency: c.currency,
    ...frequencyName(c),
    amount: priceAt(c.prices, today),
    prices: c.prices,
    variableAmount: c.variableAmount,
    startDate: c.startDate,
    bindingMonths: c.bindingMonths,
    notice: terms.notice,
    renewalMonths: c.renewalMonths,
    cancelledOn: c.cancelledOn,
    endDate: c.endDate,
    notes: c.notes,
    reminderLeadDays: c.reminderLeadDays ?? null,
    status: statusOn(c, today),
    outlook: {
      today,
      nextPayments: nextPayments(terms, today, 3),
      boundUntil: outlook.boundUntil,
      lastDayToCancel: outlook.lastDayToCancel,
      endsIfCancelledToday: outlook.endsIfCancelledToday,
      renewsOn: outlook.renewsOn,
      monthlyCost: cost.monthly,
      yearlyCost: cost.yearly,
      costSoFar: costSoFar(terms, today, actuals),
      savingsIfCancelledToday: savingsIfCancelledToday(terms, today),
    },
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** The price history with `step` in it (a step on the same day replaces the old one), sorted by date. */
function withStep(prices: readonly PriceStepDoc[], step: PriceStepDoc): PriceStepDoc[] {
  return [...prices.filter((p) => p.from !== step.from), step].sort((a, b) => (a.from < b.from ? -1 : 1));
}

@Injectable()
export class ContractsService {
  constructor(
    private readonly contracts: ContractsRepository,
    private readonly payments: ContractPaymentsRepository,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
    private readonly clock: Clock,
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
    @Inject(CATEGORIES) private readonly categories: CategoriesForBooking,
  ) {}

  today(): string {
    return stockholmDate(this.clock.now());
  }

  async list(filter: ContractFilter, page: { cursor?: string; limit: number }): Promise<Page<ContractView>> {
    const today = this.today();
    const q = filter.q ? normalizeKey(filter.q) : undefined;
    const result = await this.contracts.list({ ...filter, q: q || undefined }, today, page);
    const actuals = await this.actuals(result.items.map((c) => c._id));
    return {
      items: result.items.map((c) => view(c, today, actuals.get(c._id))),
      nextCursor: result.nextCursor,
    };
  }

  async get(id: string): Promise<ContractView> {
    return this.present(await this.require(id));
  }

  /** Recorded payment amounts of these contracts, by contract and payment day. */
  async actuals(contractIds: string[]): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    for (const p of await this.payments.ofContracts(contractIds)) {
      out.set(p.contractId, (out.get(p.contractId) ?? new Map<string, number>()).set(p.date, p.amount));
    }
    return out;
  }

  private async present(c: ContractDoc): Promise<ContractView> {
    return view(c, this.today(), (await this.actuals([c._id])).get(c._id));
  }

  async create(input: ContractInput): Promise<ContractView> {
    await this.checkReferences(input);
    const frequency = frequencyOf(input.frequency, input.everyMonths);
    let prices: PriceStepDoc[] = [{ from: input.startDate, amount: input.amount }];
    for (const step of input.priceSteps ?? []) {
      if (step.from <= input.startDate)
        throw new ContractsError('INVALID_SCHEDULE', 'a price step starts after the start date', {
          field: 'priceSteps',
        });
      prices = withStep(prices, step);
    }
    if (prices.length > MAX_PRICE_STEPS) throw new ContractsError('TOO_MANY_PRICE_CHANGES');
    this.checkEnd(input.startDate, input.endDate ?? null);
    const created = await this.contracts.add({
      _id: await this.ids.getNextGlobalId(),
      name: input.name,
      nameKey: normalizeKey(input.name),
      kind: input.kind,
      providerId: input.providerId ?? null,
      categoryId: input.categoryId ?? null,
      currency: input.currency ?? 'SEK',
      frequencyUnit: frequency.unit,
      frequencyEvery: frequency.every,
      prices,
      variableAmount: input.variableAmount ?? false,
      startDate: input.startDate,
      bindingMonths: input.bindingMonths ?? 0,
      noticeUnit: input.notice?.unit ?? null,
      noticeCount: input.notice?.count ?? 0,
      renewalMonths: input.renewalMonths ?? null,
      cancelledOn: null,
      endDate: input.endDate ?? null,
      notes: input.notes ?? null,
      reminderLeadDays: input.reminderLeadDays ?? null,
    });
    await this.audit.record({
      action: AuditAction.ContractCreated,
      targetType: CONTRACTS_RECORD_TYPES.contract,
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return view(created, this.today());
  }

  async update(id: string, patch: ContractPatch): Promise<ContractView> {
    const current = await this.require(id);
    await this.checkReferences(patch);
    const change: ContractChange = {
      name: patch.name,
      nameKey: patch.name !== undefined ? normalizeKey(patch.name) : undefined,
      kind: patch.kind,
      providerId: patch.providerId,
      categoryId: patch.categoryId,
      currency: patch.currency,
      variableAmount: patch.variableAmount,
      bindingMonths: patch.bindingMonths,
      renewalMonths: patch.renewalMonths,
      endDate: patch.endDate,
      notes: patch.notes,
      reminderLeadDays: patch.reminderLeadDays,
    };
    if (patch.frequency !== undefined) {
      const frequency = frequencyOf(patch.frequency, patch.everyMonths);
      Object.assign(change, { frequencyUnit: frequency.unit, frequencyEvery: frequency.every });
    } else if (patch.everyMonths !== undefined) {
      throw new ContractsError('INVALID_SCHEDULE', 'everyMonths goes with frequency every_n_months', {
        field: 'everyMonths',
      });
    }
    if (patch.notice !== undefined) {
      Object.assign(change, {
        noticeUnit: patch.notice?.unit ?? null,
        noticeCount: patch.notice?.count ?? 0,
      });
    }
    if (patch.startDate !== undefined) {
      // The first price step moves with the start; later steps must stay after it.
      const [first, ...later] = current.prices;
      if (later.some((p) => p.from <= patch.startDate!))
        throw new ContractsError('INVALID_SCHEDULE', 'a price step starts on or before the new start date', {
          field: 'startDate',
        });
      change.startDate = patch.startDate;
      change.prices = [{ from: patch.startDate, amount: first?.amount ?? 0 }, ...later];
    }
    this.checkEnd(
      change.startDate ?? current.startDate,
      change.endDate !== undefined ? change.endDate : current.endDate,
    );
    const result = await this.contracts.change(id, change);
    if (!result) throw notFound(CONTRACTS_RECORD_TYPES.contract);
    await this.audit.record({
      action: AuditAction.ContractUpdated,
      targetType: CONTRACTS_RECORD_TYPES.contract,
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return this.present(result.after);
  }

  /** A new price from a date on (a price increase, a campaign ending); a step on the same day is replaced. */
  async changePrice(id: string, step: PriceStepDoc): Promise<ContractView> {
    const current = await this.require(id);
    if (step.from < current.startDate)
      throw new ContractsError('INVALID_SCHEDULE', 'a price step cannot start before the contract', {
        field: 'from',
      });
    const prices = withStep(current.prices, step);
    if (prices.length > MAX_PRICE_STEPS) throw new ContractsError('TOO_MANY_PRICE_CHANGES');
    const result = await this.contracts.change(id, { prices });
    if (!result) throw notFound(CONTRACTS_RECORD_TYPES.contract);
    await this.audit.record({
      action: AuditAction.ContractPriceChanged,
      targetType: CONTRACTS_RECORD_TYPES.contract,
      targetId: id,
      changes: diffFields(result.before, result.after, ['prices']),
    });
    return this.present(result.after);
  }

  /**
   * Notice given on `noticeDate` (default today; a notice given earlier can be recorded late): the contract ends
   * at the end of the term that notice reaches (binding period, renewal term or notice period).
   */
  async cancel(id: string, noticeDate?: string): Promise<ContractView> {
    const current = await this.require(id);
    const today = this.today();
    const on = noticeDate ?? today;
    if (current.endDate)
      throw new ContractsError('CONTRACT_ALREADY_ENDED', undefined, { endDate: current.endDate });
    if (on > today || on < current.startDate)
      throw new ContractsError('INVALID_SCHEDULE', 'the notice date lies between the start date and today', {
        field: 'noticeDate',
      });
    const endDate = cancellationOutlook(termsOf(current), on).endsIfCancelledToday;
    const result = await this.contracts.change(id, { cancelledOn: on, endDate });
    if (!result) throw notFound(CONTRACTS_RECORD_TYPES.contract);
    await this.audit.record({
      action: AuditAction.ContractCancelled,
      targetType: CONTRACTS_RECORD_TYPES.contract,
      targetId: id,
      changes: diffFields(result.before, result.after, ['cancelledOn', 'endDate']),
    });
    return this.present(result.after);
  }

  /** Takes a notice back (the provider agreed to keep the contract running). */
  async reactivate(id: string): Promise<ContractView> {
    const current = await this.require(id);
    if (!current.cancelledOn) throw new ContractsError('CONTRACT_NOT_CANCELLED');
    const result = await this.contracts.change(id, { cancelledOn: null, endDate: null });
    if (!result) throw notFound(CONTRACTS_RECORD_TYPES.contract);
    await this.audit.record({
      action: AuditAction.ContractReactivated,
      targetType: CONTRACTS_RECORD_TYPES.contract,
      targetId: id,
      changes: diffFields(result.before, result.after, ['cancelledOn', 'endDate']),
    });
    return this.present(result.after);
  }

  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    const undo = await this.trash.delete(CONTRACTS_RECORD_TYPES.contract, id);
    await this.audit.record({
      action: AuditAction.ContractDeleted,
      targetType: CONTRACTS_RECORD_TYPES.contract,
      targetId: id,
      changes: { before: { name: current.name }, after: {} },
    });
    return undo;
  }

  /** The contracts of these providers running on or after `from` (the bank's contract hints). */
  ofProvidersFrom(providerIds: string[], from: string): Promise<ContractDoc[]> {
    return this.contracts.ofProvidersFrom(providerIds, from);
  }

  async require(id: string): Promise<ContractDoc> {
    const contract = await this.contracts.findById(id);
    if (!contract) throw notFound(CONTRACTS_RECORD_TYPES.contract);
    return contract;
  }

  private checkEnd(startDate: string, endDate: string | null | undefined): void {
    if (endDate && endDate < startDate)
      throw new ContractsError('INVALID_SCHEDULE', 'the end date is before the start date', {
        field: 'endDate',
      });
  }

  /** The provider must be a supplier and the category a category of this organization. */
  private async checkReferences(input: {
    providerId?: string | null;
    categoryId?: string | null;
  }): Promise<void> {
    if (input.providerId && !(await this.suppliers.findForMatching(input.providerId)))
      throw new ContractsError('INVALID_REFERENCE', 'providerId does not name a supplier', {
        field: 'providerId',
      });
    if (input.categoryId) {
      const categoryId = input.categoryId;
      await referenced(
        () => this.categories.getForBooking(categoryId),
        () =>
          new ContractsError('INVALID_REFERENCE', 'categoryId does not name a category', {
            field: 'categoryId',
          }),
      );
    }
  }
}
