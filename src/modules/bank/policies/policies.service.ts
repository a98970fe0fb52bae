import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { Clock } from '../../../infrastructure/clock/clock';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { BankError } from '../bank.errors';
import { BankPoliciesRepository, PolicyEventsRepository } from './policies.repository';
import type { BankPolicyDoc } from './policies.schema';
import { VouchersService } from '../vouchers/vouchers.service';
import { canEnableAuto, isAutoActive, type PolicyEventKind, type PolicyStats } from './policy.rules';
import { notFound } from '../../../common/errors/domain-error';

export interface PolicyView extends PolicyStats {
  id: string;
  counterpartyKey: string;
  label: string;
  supplierId: string | null;
  threshold: number;
  autoEnabled: boolean;
  /** Enabled and no reject/undo since it was enabled: new lines for this counterparty may be booked automatically. */
  autoActive: boolean;
  /** Whether enabling would be accepted now. */
  canEnable: boolean;
  autoEnabledAt: Date | null;
  autoEnabledBy: string | null;
  autoDisabledAt: Date | null;
  autoDisabledReason: string | null;
  createdAt: Date;
}

export function policyView(p: BankPolicyDoc, stats: PolicyStats, threshold: number): PolicyView {
  return {
    id: p._id,
    counterpartyKey: p.counterpartyKey,
    label: p.label,
    supplierId: p.supplierId,
    ...stats,
    threshold,
    autoEnabled: p.autoEnabled,
    autoActive: isAutoActive(p, stats),
    canEnable: canEnableAuto(stats, threshold).ok,
    autoEnabledAt: p.autoEnabledAt,
    autoEnabledBy: p.autoEnabledBy,
    autoDisabledAt: p.autoDisabledAt,
    autoDisabledReason: p.autoDisabledReason,
    createdAt: p.createdAt,
  };
}

/** Counterparty policies: events in, counts out (policy.rules.ts), and the admin switch for automatic booking. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly policies: BankPoliciesRepository,
    private readonly events: PolicyEventsRepository,
    private readonly vouchers: VouchersService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
  ) {}

  async ensure(counterpartyKey: string, label: string, supplierId: string | null): Promise<BankPolicyDoc> {
    const existing = await this.policies.byKey(counterpartyKey);
    if (existing) return existing;
    return this.policies.ensure({
      id: await this.ids.getNextGlobalId(),
      counterpartyKey,
      label: label.slice(0, 200) || counterpartyKey,
      supplierId,
    });
  }

  byKey(counterpartyKey: string): Promise<BankPolicyDoc | null> {
    return this.policies.byKey(counterpartyKey);
  }

  /** Records a decision once (eventKey); a reject or undo also turns automatic booking off. */
  async record(event: {
    kind: PolicyEventKind;
    eventKey: string;
    counterpartyKey: string;
    lineId: string;
    matchId: string | null;
    candidateId: string | null;
    actorId: string | null;
  }): Promise<void> {
    const at = this.clock.now();
    await this.events.record({ _id: await this.ids.getNextGlobalId(), ...event, at });
    if (event.kind === 'rejected' || event.kind === 'undone') {
      const result = await this.policies.disableAuto(event.counterpartyKey, event.kind, at);
      if (result) {
        await this.audit.record({
          action: AuditAction.BankPolicyUpdated,
          targetType: 'bank_policy',
          targetId: result.after._id,
          changes: diffFields(result.before, result.after, ['autoEnabled', 'autoDisabledReason']),
          metadata: {
            counterpartyKey: event.counterpartyKey,
            reason: event.kind,
            lineId: event.lineId,
            matchId: event.matchId,
          },
        });
      }
    }
  }

  stats(counterpartyKey: string): Promise<PolicyStats> {
    return this.events.stats(counterpartyKey);
  }

  /** The policy if automatic booking is active for this counterparty now. */
  async activeFor(counterpartyKey: string): Promise<BankPolicyDoc | null> {
    const policy = await this.policies.byKey(counterpartyKey);
    if (!policy?.autoEnabled) return null;
    return isAutoActive(policy, await this.events.stats(counterpartyKey)) ? policy : null;
  }

  async list(page: PageRequest): Promise<Page<PolicyView>> {
    const result = await this.policies.page({}, page);
    const threshold = (await this.vouchers.settings()).autoThreshold;
    const items: PolicyView[] = [];
    for (const p of result.items)
      items.push(policyView(p, await this.events.stats(p.counterpartyKey), threshold));
    return { items, nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<PolicyView> {
    const policy = await this.policies.findById(id);
    if (!policy) throw notFound('bank_policy');
    return policyView(
      policy,
      await this.events.stats(policy.counterpartyKey),
      (await this.vouchers.settings()).autoThreshold,
    );
  }

  /** Admins switch automatic booking; on only with enough approvals since the last setback (409 otherwise). */
  async setAuto(id: string, autoEnabled: boolean): Promise<PolicyView> {
    const policy = await this.policies.findById(id);
    if (!policy) throw notFound('bank_policy');
    const threshold = (await this.vouchers.settings()).autoThreshold;
    const stats = await this.events.stats(policy.counterpartyKey);
    if (policy.autoEnabled === autoEnabled && (!autoEnabled || isAutoActive(policy, stats)))
      return policyView(policy, stats, threshold);
    const actor = this.context.requireActor();
    const now = this.clock.now();
    if (autoEnabled) {
      const check = canEnableAuto(stats, threshold);
      if (!check.ok) {
        throw new BankError(
          'POLICY_THRESHOLD_NOT_MET',
          `Automatic booking needs ${threshold} approvals with no reject or undo since; this counterparty has ${check.approvalsSinceSetback}`,
          {
            approvalsSinceSetback: check.approvalsSinceSetback,
            threshold,
            lastSetbackAt: check.lastSetbackAt,
          },
        );
      }
    }
    const fields = autoEnabled
      ? {
          autoEnabled: true,
          autoEnabledAt: now,
          autoEnabledBy: actor.userId,
          autoDisabledAt: null,
          autoDisabledReason: null,
        }
      : { autoEnabled: false, autoDisabledAt: now, autoDisabledReason: 'admin' };
    const result = await this.policies.setAuto(id, fields);
    if (!result) throw notFound('bank_policy');
    await this.audit.record({
      action: AuditAction.BankPolicyUpdated,
      targetType: 'bank_policy',
      targetId: id,
      changes: diffFields(result.before, result.after, [
        'autoEnabled',
        'autoEnabledBy',
        'autoDisabledReason',
      ]),
      metadata: {
        counterpartyKey: policy.counterpartyKey,
        approvalsSinceSetback: stats.approvalsSinceSetback,
        threshold,
      },
    });
    return policyView(result.after, stats, threshold);
  }
}
