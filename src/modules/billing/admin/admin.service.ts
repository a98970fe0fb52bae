import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { CommonError, notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import { addDays, startOfStockholmDay, stockholmDate } from '../common/billing.dates';
import type { AccountSort, AdminAccountsQuery } from './admin.dto';
import { BillingError } from '../billing.errors';
import {
  policyProblem,
  policyRules,
  type BillingPolicy,
  type BillingPolicyPatch,
  type PolicyRule,
} from '../policy/billing.policy';
import { BillingAccountsRepository } from '../accounts/accounts.repository';
import type { BillingAccountDoc, LatestInvoice } from '../accounts/accounts.schema';
import { BillingInvoicesRepository } from '../invoices/invoices.repository';
import { BillingPolicyRepository } from '../policy/policy.repository';
import { BillingNoticesRepository } from '../notices/notices.repository';
import { BillingService, stateOf, type BillingView, type InvoiceView } from '../accounts/accounts.service';
import {
  effectiveState,
  signUpState,
  type Access,
  type BillingProviderName,
  type BillingState,
} from '../accounts/billing.state';
import { BillingTransitionsService, type TransitionsRun } from '../accounts/transitions.service';
import { ManualBillingProvider, type ManualCommand } from '../providers/manual.provider';
import { escapeRegex } from '../../../infrastructure/mongo/regex';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationRecord,
  type OrganizationsDirectory,
  type ScanPosition,
} from '../../organizations/organizations.contract';

/** Rows read per request at most when a filter rejects many: the page may then hold fewer items (see `accounts`). */
const MAX_SCAN = 1_000;
/** Matches of a search term we follow at most (owners by email, organizations by name). */
const MAX_SEARCH_MATCHES = 1_000;

export interface BillingOverview {
  pro: number;
  free: number;
  trial: number;
  past_due: number;
  suspended: number;
  total: number;
}

export interface AccountListItem {
  organizationId: string;
  name: string;
  type: string;
  createdAt: Date;
  ownerEmail: string | null;
  plan: BillingState['plan'];
  billingStatus: BillingState['billingStatus'];
  access: Access;
  periodEnd: Date | null;
  graceUntil: Date | null;
  trialEnd: Date | null;
  currentPeriodPaid: boolean;
  provider: BillingProviderName;
  latestInvoice: LatestInvoice | null;
}

export interface AccountDetail {
  organization: { id: string; name: string; type: string; createdAt: Date };
  owners: { userId: string; name: string; email: string }[];
  account: BillingView;
  /** Transition mails and reminders sent, newest first. */
  notices: { kind: string; type: 'transition' | 'reminder'; at: Date }[];
}

export interface BillingFigures {
  revenue: { month: string; amount: number; currency: 'SEK'; invoices: number };
  trialsEnding: { from: string; to: string; count: number };
}

export interface PolicyCard {
  policy: BillingPolicy;
  rules: PolicyRule[];
  updatedAt: Date | null;
  updatedBy: string | null;
}

interface CursorValue {
  s: AccountSort;
  v: string | null;
  id: string;
}

type SortField = 'createdAt' | 'name' | 'periodEnd' | 'graceUntil' | 'trialEnd';

function parseSort(sort: AccountSort): { field: SortField; direction: 1 | -1 } {
  const direction = sort.startsWith('-') ? -1 : 1;
  return { field: sort.replace(/^-/, '') as SortField, direction };
}

function encodeCursor(sort: AccountSort, value: string | null, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: value, id } satisfies CursorValue)).toString('base64url');
}

function decodeCursor(cursor: string | undefined, sort: AccountSort): ScanPosition | null {
  if (!cursor) return null;
  let value: CursorValue;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorValue;
  } catch {
    throw new CommonError('VALIDATION_FAILED', 'cursor is not valid');
  }
  if (
    value?.s !== sort ||
    typeof value.id !== 'string' ||
    (value.v !== null && typeof value.v !== 'string')
  ) {
    throw new CommonError('VALIDATION_FAILED', 'cursor is not valid for this sort');
  }
  // every sort but name is on a date: the position must be one, or the database query fails to cast it
  if (parseSort(sort).field !== 'name' && value.v !== null && Number.isNaN(new Date(value.v).getTime())) {
    throw new CommonError('VALIDATION_FAILED', 'cursor is not valid for this sort');
  }
  return { value: value.v, id: value.id };
}

/** One row of the scan: the organization (null: deleted) with its account, and its position. */
interface Row {
  id: string;
  org: OrganizationRecord | null;
  account: BillingAccountDoc | null;
  position: string | null;
}

/**
 * The admin portal API (platform admins): overview counts, the accounts list, one account with its payment
 * history, the admin actions (through the manual provider), invoices, the policy card and the transitions trigger.
 */
@Injectable()
export class BillingAdminService {
  constructor(
    private readonly billing: BillingService,
    private readonly transitions: BillingTransitionsService,
    private readonly manual: ManualBillingProvider,
    private readonly accounts: BillingAccountsRepository,
    private readonly invoices: BillingInvoicesRepository,
    private readonly policies: BillingPolicyRepository,
    private readonly notices: BillingNoticesRepository,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly audit: AuditService,
    private readonly ids: GlobalIdService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
  ) {}

  /**
   * Counts by the state in force now. Plans partition the organizations (pro + trial + free = total); past_due
   * (a kind of pro) and suspended (a kind of free) are counted besides. Reads every account that is not plain
   * free+active — the paying and the special ones, in batches — and counts the organizations; free is the rest.
   * Cost grows with the number of such accounts, not with all organizations.
   */
  async overview(): Promise<BillingOverview> {
    const now = this.clock.now();
    const policy = await this.billing.policy();
    const total = await this.directory.countOrganizations();
    const counts = { pro: 0, trial: 0, past_due: 0, suspended: 0 };
    const count = (state: BillingState) => {
      const { state: s } = effectiveState(state, policy, now);
      if (s.plan === 'pro') counts.pro++;
      if (s.plan === 'trial') counts.trial++;
      if (s.billingStatus === 'past_due') counts.past_due++;
      if (s.billingStatus === 'suspended') counts.suspended++;
    };
    let afterId: string | null = null;
    for (;;) {
      const batch = await this.accounts.notPlainFreeAfter(afterId, 500);
      if (!batch.length) break;
      const live = new Set(
        (await this.directory.findOrganizations(batch.map((a) => a._id))).map((o) => o._id),
      );
      for (const account of batch) if (live.has(account._id)) count(stateOf(account));
      afterId = batch[batch.length - 1]?._id ?? null;
      if (batch.length < 500) break;
    }
    if (policy.signUpPlan === 'trial') {
      // organizations still on a sign-up trial they never got an account for
      const since = startOfStockholmDay(addDays(stockholmDate(now), -(policy.trialDays + 1)));
      const recent = await this.directory.organizationIdsCreatedSince(since, 10_000);
      const withAccount = new Set(
        (await this.accounts.findByIds(recent.map((o) => o._id))).map((a) => a._id),
      );
      for (const org of recent) if (!withAccount.has(org._id)) count(signUpState(policy, org.createdAt));
    }
    return { ...counts, free: total - counts.pro - counts.trial, total };
  }

  /**
   * Figures of the overview that are not counts of states: revenue of a month (the invoices paid in it, by payment
   * time in Stockholm) and the trials in force now whose last day falls in this week (Monday–Sunday, Stockholm),
   * sign-up trials without an account included.
   */
  async figures(month: string | undefined): Promise<BillingFigures> {
    const now = this.clock.now();
    const today = stockholmDate(now);
    const revenueMonth = month ?? today.slice(0, 7);
    const [y, m] = revenueMonth.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    const paid = await this.invoices.paidBetween(
      startOfStockholmDay(`${revenueMonth}-01`),
      startOfStockholmDay(`${next}-01`),
    );
    const sek = paid.filter((i) => i.currency === 'SEK');

    const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
    const monday = addDays(today, -weekday);
    const sunday = addDays(monday, 6);
    // a trial's last day is the day before trialEnd (midnight after it): last day in Mon..Sun ⇔ trialEnd in Tue..Mon
    const from = startOfStockholmDay(addDays(monday, 1));
    const to = startOfStockholmDay(addDays(monday, 7));
    const policy = await this.billing.policy();
    const inWeek = (state: BillingState) => {
      const { state: s } = effectiveState(state, policy, now);
      return s.plan === 'trial' && s.trialEnd !== null && s.trialEnd >= from && s.trialEnd <= to;
    };
    const accounts = await this.accounts.trialsEndingBetween(from, to);
    const live = new Set(
      (await this.directory.findOrganizations(accounts.map((a) => a._id))).map((o) => o._id),
    );
    let count = accounts.filter((a) => live.has(a._id) && inWeek(stateOf(a))).length;
    if (policy.signUpPlan === 'trial') {
      const since = startOfStockholmDay(addDays(monday, -(policy.trialDays + 1)));
      const recent = await this.directory.organizationIdsCreatedSince(since, 10_000);
      const withAccount = new Set(
        (await this.accounts.findByIds(recent.map((o) => o._id))).map((a) => a._id),
      );
      count += recent.filter(
        (o) => !withAccount.has(o._id) && inWeek(signUpState(policy, o.createdAt)),
      ).length;
    }
    return {
      revenue: {
        month: revenueMonth,
        amount: sek.reduce((sum, i) => sum + i.amount, 0),
        currency: 'SEK',
        invoices: sek.length,
      },
      trialsEnding: { from: monday, to: sunday, count },
    };
  }

  /**
   * The accounts list. FerretDB has no `$lookup`, so this is a keyset scan over one collection joined in TypeScript
   * per batch: organizations (sorted by createdAt or name) joined with their billing accounts, or billing accounts
   * (sorted by periodEnd, graceUntil or trialEnd; only those with that date) joined with their organizations; owner
   * emails come from memberships + users of the batch. The plan/status filters apply to the state in force now,
   * after the join. How it scales: a request reads at most MAX_SCAN rows; when a filter is selective a page can hold
   * fewer than `limit` items and still have a `nextCursor` (keep following it). Beyond some ten thousand
   * organizations, denormalize plan/status/name/owner onto `billing_accounts` and filter there with indexes.
   */
  async list(query: AdminAccountsQuery): Promise<Page<AccountListItem>> {
    const now = this.clock.now();
    const policy = await this.billing.policy();
    const { field, direction } = parseSort(query.sort);
    let position = decodeCursor(query.cursor, query.sort);
    const search = query.q ? await this.searchTerms(query.q) : null;
    const batchSize = Math.min(Math.max(query.limit + 1, 50), 200);
    const items: { item: AccountListItem; position: string | null }[] = [];
    let scanned = 0;
    let exhausted = false;
    while (items.length <= query.limit && scanned < MAX_SCAN) {
      const rows = await this.scanBatch(field, direction, position, batchSize, search);
      for (const row of rows) {
        scanned++;
        position = { value: row.position, id: row.id };
        if (!row.org) continue;
        const stored = row.account
          ? stateOf(row.account)
          : signUpState(policy, policy.signUpPlan === 'trial' ? row.org.createdAt : now);
        const { state, access } = effectiveState(stored, policy, now);
        if (query.plan && state.plan !== query.plan) continue;
        if (query.status && state.billingStatus !== query.status) continue;
        items.push({
          position: row.position,
          item: {
            organizationId: row.org._id,
            name: row.org.name,
            type: row.org.type,
            createdAt: row.org.createdAt,
            ownerEmail: null,
            plan: state.plan,
            billingStatus: state.billingStatus,
            access,
            periodEnd: state.periodEnd,
            graceUntil: state.graceUntil,
            trialEnd: state.trialEnd,
            currentPeriodPaid: state.periodPaid,
            provider: row.account?.provider ?? 'manual',
            latestInvoice: row.account?.latestInvoice ?? null,
          },
        });
        if (items.length > query.limit) break;
      }
      if (rows.length < batchSize) {
        exhausted = true;
        break;
      }
    }
    const page = items.slice(0, query.limit);
    await this.fillOwnerEmails(page.map((p) => p.item));
    let nextCursor: string | null = null;
    const last = page[page.length - 1];
    if (items.length > query.limit && last) {
      nextCursor = encodeCursor(query.sort, last.position, last.item.organizationId);
    } else if (!exhausted && position) {
      // the scan budget ran out before the page filled: continue after the last row read
      nextCursor = encodeCursor(
        query.sort,
        position.value === null ? null : String(position.value),
        position.id,
      );
    }
    return { items: page.map((p) => p.item), nextCursor };
  }

  private async scanBatch(
    field: SortField,
    direction: 1 | -1,
    position: ScanPosition | null,
    limit: number,
    search: { namePattern: string; ownerOrgIds: string[] } | null,
  ): Promise<Row[]> {
    if (field === 'createdAt' || field === 'name') {
      const orgs = await this.directory.page(field, direction, position, limit, {
        namePattern: search?.namePattern ?? null,
        ids: search ? search.ownerOrgIds : null,
      });
      const accounts = new Map(
        (await this.accounts.findByIds(orgs.map((o) => o._id))).map((a) => [a._id, a]),
      );
      return orgs.map((org) => ({
        id: org._id,
        org,
        account: accounts.get(org._id) ?? null,
        position: field === 'createdAt' ? org.createdAt.toISOString() : org.name,
      }));
    }
    const onlyIds = search
      ? [
          ...new Set([
            ...(await this.directory.idsByName(search.namePattern, MAX_SEARCH_MATCHES)),
            ...search.ownerOrgIds,
          ]),
        ]
      : null;
    const accounts = await this.accounts.pageByDate(field, direction, position, limit, onlyIds);
    const orgs = new Map(
      (await this.directory.findOrganizations(accounts.map((a) => a._id))).map((o) => [o._id, o]),
    );
    // an account whose organization is gone stays in the scan (the position moves past it) but not in the list
    return accounts.map((account) => ({
      id: account._id,
      org: orgs.get(account._id) ?? null,
      account,
      position: account[field]?.toISOString() ?? null,
    }));
  }

  /** A search term: a name pattern, and the organizations owned by users whose email contains it (bounded). */
  private async searchTerms(q: string): Promise<{ namePattern: string; ownerOrgIds: string[] }> {
    const namePattern = escapeRegex(q);
    const users = await this.users.searchByEmail(q.toLowerCase(), 100);
    const ownerOrgIds = (await this.directory.ownedBy(users.map((u) => u._id))).slice(0, MAX_SEARCH_MATCHES);
    return { namePattern, ownerOrgIds };
  }

  private async fillOwnerEmails(items: AccountListItem[]): Promise<void> {
    const owners = await this.directory.ownersOf(items.map((i) => i.organizationId));
    const users = new Map(
      (await this.users.findManyByIds([...new Set(owners.map((o) => o.userId))])).map((u) => [u._id, u]),
    );
    for (const item of items) {
      const owner = owners.find(
        (o) => o.organizationId === item.organizationId && users.get(o.userId)?.isDeleted === false,
      );
      item.ownerEmail = owner ? (users.get(owner.userId)?.email ?? null) : null;
    }
  }

  async account(organizationId: string): Promise<AccountDetail> {
    const org = await this.requireOrganization(organizationId);
    const [account, owners, notices] = await Promise.all([
      this.billing.view(organizationId),
      this.directory.ownersOf([organizationId]),
      this.notices.forOrganization(organizationId),
    ]);
    const users = await this.users.findManyByIds(owners.map((o) => o.userId));
    return {
      organization: { id: org._id, name: org.name, type: org.type, createdAt: org.createdAt },
      owners: users.filter((u) => !u.isDeleted).map((u) => ({ userId: u._id, name: u.name, email: u.email })),
      account,
      notices: notices.map((n) => ({ kind: n.kind, type: n.type, at: n.at })),
    };
  }

  async grantPro(organizationId: string, periodEnd: string | undefined): Promise<BillingView> {
    await this.requireOrganization(organizationId);
    let end: Date | null = null;
    if (periodEnd) {
      end = startOfStockholmDay(periodEnd);
      if (end <= this.clock.now())
        throw new BillingError('INVALID_DATE', 'periodEnd must be a day after today');
    }
    return this.act({
      type: 'grant_pro',
      organizationId,
      periodEnd: end,
      reason: 'Pro granted by a platform admin',
    });
  }

  async grantTrial(organizationId: string, days: number | undefined): Promise<BillingView> {
    await this.requireOrganization(organizationId);
    const policy = await this.billing.policy();
    const { state } = await this.billing.accessOf(organizationId);
    if (state.plan === 'pro') throw new BillingError('PLAN_CONFLICT');
    return this.act({
      type: 'grant_trial',
      organizationId,
      days: days ?? policy.trialDays,
      reason: 'Trial granted by a platform admin',
    });
  }

  async downgrade(organizationId: string, reason: string | undefined): Promise<BillingView> {
    await this.requireOrganization(organizationId);
    return this.act({
      type: 'downgrade',
      organizationId,
      reason: reason ? `Downgraded by a platform admin: ${reason}` : 'Downgraded by a platform admin',
    });
  }

  async createInvoice(
    organizationId: string,
    input: { invoiceId: string; amount: number; dueDate: string },
  ): Promise<InvoiceView> {
    await this.requireOrganization(organizationId);
    const actor = this.context.requireActor();
    if (await this.invoices.findByInvoiceId(input.invoiceId)) throw new BillingError('INVOICE_EXISTS');
    const invoice = await this.invoices.create({
      _id: await this.ids.getNextGlobalId(),
      organizationId,
      invoiceId: input.invoiceId,
      amount: input.amount,
      currency: 'SEK',
      dueDate: input.dueDate,
      status: 'open',
      paidAt: null,
      provider: 'manual',
      createdBy: actor.userId,
    });
    if (invoice === TAKEN) throw new BillingError('INVOICE_EXISTS');
    // an organization invoiced before it ever had a billing change gets its account now (it holds the summary)
    await this.billing.ensureAccount(organizationId, await this.billing.policy());
    await this.billing.refreshLatestInvoice(organizationId);
    await this.audit.record({
      action: AuditAction.BillingInvoiceCreated,
      organizationId,
      targetType: 'billing_invoice',
      targetId: invoice._id,
      metadata: { invoiceId: input.invoiceId, amount: input.amount, currency: 'SEK', dueDate: input.dueDate },
    });
    return this.billing.invoiceView(invoice, this.clock.now());
  }

  /**
   * Marks a Fortnox invoice paid: Pro + active with the period rule. Claimed once per invoice (a unique notice
   * key), so two admins clicking at once extend the period once.
   */
  async markPaid(
    organizationId: string,
    invoiceId: string,
    paidAtInput: string | undefined,
  ): Promise<BillingView> {
    await this.requireOrganization(organizationId);
    const invoice = /^[A-Za-z0-9_-]{1,64}$/.test(invoiceId)
      ? await this.invoices.findByInvoiceId(invoiceId)
      : null;
    if (!invoice || invoice.organizationId !== organizationId) throw notFound('invoice');
    if (invoice.status === 'paid') throw new BillingError('INVOICE_ALREADY_PAID');
    const now = this.clock.now();
    const paidAt = !paidAtInput
      ? now
      : /^\d{4}-\d{2}-\d{2}$/.test(paidAtInput)
        ? startOfStockholmDay(paidAtInput)
        : new Date(paidAtInput);
    if (paidAt > now) throw new BillingError('INVALID_DATE', 'paidAt cannot be in the future');
    const noticeId = `${organizationId}:invoice_paid:${invoice._id}`;
    const claimed = await this.notices.claim({
      _id: noticeId,
      organizationId,
      type: 'transition',
      kind: 'payment_received',
      at: now,
    });
    if (!claimed) throw new BillingError('INVOICE_ALREADY_PAID');
    try {
      await this.billing.apply(
        organizationId,
        this.manual.interpret({
          type: 'payment',
          organizationId,
          paidAt,
          reason: `Invoice ${invoice.invoiceId} marked paid by a platform admin`,
          invoice: {
            invoiceId: invoice.invoiceId,
            amount: invoice.amount,
            currency: invoice.currency,
            dueDate: invoice.dueDate,
            status: 'paid',
            paidAt,
          },
        }),
        'manual',
        { actorId: this.context.requireActor().userId, trigger: 'action' },
      );
    } catch (error) {
      await this.notices.release(noticeId);
      throw error;
    }
    return this.billing.view(organizationId);
  }

  async policy(): Promise<PolicyCard> {
    const { policy, updatedAt, updatedBy } = await this.policies.get();
    return { policy, rules: policyRules(policy), updatedAt, updatedBy };
  }

  async patchPolicy(patch: BillingPolicyPatch): Promise<PolicyCard> {
    const actor = this.context.requireActor();
    const before = (await this.policies.get()).policy;
    const after: BillingPolicy = { ...before, ...patch };
    const problem = policyProblem(after);
    if (problem) throw new BillingError('INVALID_POLICY', problem);
    await this.policies.save(after, actor.userId);
    await this.audit.record({
      action: AuditAction.BillingPolicyUpdated,
      organizationId: null,
      targetType: 'billing_policy',
      targetId: 'current',
      changes: diffFields(before, after),
    });
    return this.policy();
  }

  runTransitions(): Promise<TransitionsRun> {
    return this.transitions.runAll('admin', this.context.requireActor().userId);
  }

  private async act(command: ManualCommand): Promise<BillingView> {
    await this.billing.apply(command.organizationId, this.manual.interpret(command), 'manual', {
      actorId: this.context.requireActor().userId,
      trigger: 'action',
    });
    return this.billing.view(command.organizationId);
  }

  private async requireOrganization(organizationId: string): Promise<OrganizationRecord> {
    const org = await this.directory.findOrganization(organizationId);
    if (!org) throw notFound('organization');
    return org;
  }
}
