import { Inject, Injectable } from '@nestjs/common';
import { ORG_ROLE_RANK } from '../../../common/auth/roles';
import { RequestContext } from '../../../common/context/request-context';
import { stockholmDate } from '../../../common/dates';
import { notFound, referenced } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { FieldCrypto } from '../../../infrastructure/crypto/field-crypto';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { CARS, type CarsForLinking } from '../cars.ports';
import type { PolicyType, PremiumPeriod } from '../common/policy-kinds';
import { maskPolicyNumber, nextRenewal, yearlyPremium } from '../common/policy-rules';
import { SUPPLIERS, type SuppliersForMatching } from '../economy.ports';
import { InsuranceError } from '../insurance.errors';
import { INSURANCE_RECORD_TYPES } from '../insurance.records';
import { InsurancePoliciesRepository, type PolicyChange } from './policies.repository';
import type { InsurancePolicyDoc } from './policies.schema';

export interface PolicyInput {
  insurerId?: string | null;
  insurerName?: string | null;
  policyNumber?: string | null;
  type: PolicyType;
  premium?: number | null;
  premiumPeriod?: PremiumPeriod;
  currency?: string;
  renewalDate?: string | null;
  coverageText?: string | null;
  coverageAmount?: number | null;
  deductible?: number | null;
  carId?: string | null;
  item?: string | null;
  notes?: string | null;
  reminderLeadDays?: number[] | null;
}

export type PolicyPatch = Partial<PolicyInput>;

export interface PolicyView {
  id: string;
  insurerId: string | null;
  insurerName: string | null;
  /** In full for members and up; `•••• 5678` for viewers (`policyNumberMasked`). */
  policyNumber: string | null;
  policyNumberMasked: boolean;
  type: PolicyType;
  premium: number | null;
  premiumPeriod: PremiumPeriod;
  yearlyPremium: number;
  currency: string;
  renewalDate: string | null;
  nextRenewal: string | null;
  coverageText: string | null;
  coverageAmount: number | null;
  deductible: number | null;
  carId: string | null;
  item: string | null;
  notes: string | null;
  reminderLeadDays: number[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Audited fields; the policy number only as `maskedPolicyNumber`, never in plain text or encrypted. */
const AUDITED = [
  'insurerId',
  'insurerName',
  'maskedPolicyNumber',
  'type',
  'premium',
  'premiumPeriod',
  'currency',
  'renewalDate',
  'coverageText',
  'coverageAmount',
  'deductible',
  'carId',
  'item',
  'reminderLeadDays',
];

export const aad = (id: string) => `insurance_policies.${id}.policyNumber`;

/** Insurance policies (docs/insurance.md): the policy number encrypted at rest, masked for viewers and in audit. */
@Injectable()
export class InsurancePoliciesService {
  constructor(
    private readonly policies: InsurancePoliciesRepository,
    private readonly ids: GlobalIdService,
    private readonly crypto: FieldCrypto,
    private readonly context: RequestContext,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
    private readonly clock: Clock,
    @Inject(SUPPLIERS) private readonly suppliers: SuppliersForMatching,
    @Inject(CARS) private readonly cars: CarsForLinking,
  ) {}

  today(): string {
    return stockholmDate(this.clock.now());
  }

  async list(
    filter: { type?: PolicyType },
    page: { cursor?: string; limit: number },
  ): Promise<Page<PolicyView>> {
    const result = await this.policies.list(filter, page);
    const today = this.today();
    return { items: result.items.map((p) => this.view(p, today)), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<PolicyView> {
    return this.view(await this.require(id), this.today());
  }

  async create(input: PolicyInput): Promise<PolicyView> {
    const insurer = { insurerId: input.insurerId ?? null, insurerName: input.insurerName ?? null };
    const link = { carId: input.carId ?? null, item: input.item ?? null };
    this.checkShape(insurer, link);
    await this.checkReferences(input);
    const id = await this.ids.getNextGlobalId();
    const created = await this.policies.add({
      _id: id,
      ...insurer,
      policyNumberEnc: input.policyNumber ? this.crypto.encrypt(input.policyNumber, aad(id)) : null,
      type: input.type,
      premium: input.premium ?? null,
      premiumPeriod: input.premiumPeriod ?? 'yearly',
      currency: input.currency ?? 'SEK',
      renewalDate: input.renewalDate ?? null,
      coverageText: input.coverageText ?? null,
      coverageAmount: input.coverageAmount ?? null,
      deductible: input.deductible ?? null,
      ...link,
      notes: input.notes ?? null,
      reminderLeadDays: input.reminderLeadDays ?? null,
    });
    await this.audit.record({
      action: AuditAction.InsuranceCreated,
      targetType: INSURANCE_RECORD_TYPES.policy,
      targetId: id,
      changes: diffFields({}, this.audited(created), AUDITED),
    });
    return this.view(created, this.today());
  }

  /**
   * Null clears an optional field. Naming the insurer one way clears the other (insurerId ↔ insurerName), and so
   * does the link (carId ↔ item); both of a pair in one body is 400.
   */
  async update(id: string, patch: PolicyPatch): Promise<PolicyView> {
    const current = await this.require(id);
    const insurer =
      patch.insurerId || patch.insurerName
        ? { insurerId: patch.insurerId ?? null, insurerName: patch.insurerName ?? null }
        : {
            insurerId: patch.insurerId !== undefined ? patch.insurerId : current.insurerId,
            insurerName: patch.insurerName !== undefined ? patch.insurerName : current.insurerName,
          };
    const link =
      patch.carId || patch.item
        ? { carId: patch.carId ?? null, item: patch.item ?? null }
        : {
            carId: patch.carId !== undefined ? patch.carId : current.carId,
            item: patch.item !== undefined ? patch.item : current.item,
          };
    this.checkShape(insurer, link);
    await this.checkReferences(patch);
    const change: PolicyChange = {
      ...insurer,
      ...link,
      type: patch.type,
      premium: patch.premium,
      premiumPeriod: patch.premiumPeriod,
      currency: patch.currency,
      renewalDate: patch.renewalDate,
      coverageText: patch.coverageText,
      coverageAmount: patch.coverageAmount,
      deductible: patch.deductible,
      notes: patch.notes,
      reminderLeadDays: patch.reminderLeadDays,
    };
    if (patch.policyNumber !== undefined)
      change.policyNumberEnc = patch.policyNumber ? this.crypto.encrypt(patch.policyNumber, aad(id)) : null;
    const result = await this.policies.change(id, change);
    if (!result) throw notFound(INSURANCE_RECORD_TYPES.policy);
    await this.audit.record({
      action: AuditAction.InsuranceUpdated,
      targetType: INSURANCE_RECORD_TYPES.policy,
      targetId: id,
      changes: diffFields(this.audited(result.before), this.audited(result.after), AUDITED),
    });
    return this.view(result.after, this.today());
  }

  /** To the trash with its documents (undo payload). */
  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    const undo = await this.trash.delete(INSURANCE_RECORD_TYPES.policy, id);
    await this.audit.record({
      action: AuditAction.InsuranceDeleted,
      targetType: INSURANCE_RECORD_TYPES.policy,
      targetId: id,
      changes: {
        before: { type: current.type, insurerId: current.insurerId, insurerName: current.insurerName },
        after: {},
      },
    });
    return undo;
  }

  private async require(id: string): Promise<InsurancePolicyDoc> {
    const policy = await this.policies.findById(id);
    if (!policy) throw notFound(INSURANCE_RECORD_TYPES.policy);
    return policy;
  }

  private checkShape(
    insurer: { insurerId: string | null; insurerName: string | null },
    link: { carId: string | null; item: string | null },
  ): void {
    if (!insurer.insurerId === !insurer.insurerName)
      throw new InsuranceError('INSURER_REQUIRED', undefined, {
        field: insurer.insurerId ? 'insurerName' : 'insurerId',
      });
    if (link.carId && link.item) throw new InsuranceError('ONE_LINK_ONLY', undefined, { field: 'item' });
  }

  private async checkReferences(input: { insurerId?: string | null; carId?: string | null }): Promise<void> {
    if (input.insurerId && !(await this.suppliers.findForMatching(input.insurerId)))
      throw new InsuranceError('INVALID_REFERENCE', 'insurerId does not name a supplier', {
        field: 'insurerId',
      });
    if (input.carId) {
      const carId = input.carId;
      await referenced(
        () => this.cars.get(carId),
        () => new InsuranceError('INVALID_REFERENCE', 'carId does not name a car', { field: 'carId' }),
      );
    }
  }

  private policyNumber(p: InsurancePolicyDoc): string | null {
    return p.policyNumberEnc ? this.crypto.decrypt(p.policyNumberEnc, aad(p._id)) : null;
  }

  /** What the audit log sees: the policy number masked, nothing encrypted, no notes. */
  private audited(p: InsurancePolicyDoc): Record<string, unknown> {
    const number = this.policyNumber(p);
    const { policyNumberEnc: _e, notes: _n, ...rest } = p;
    return { ...rest, maskedPolicyNumber: number ? maskPolicyNumber(number) : null };
  }

  private view(p: InsurancePolicyDoc, today: string): PolicyView {
    const number = this.policyNumber(p);
    const full = ORG_ROLE_RANK[this.context.requireTenant().orgRole] >= ORG_ROLE_RANK.member;
    return {
      id: p._id,
      insurerId: p.insurerId,
      insurerName: p.insurerName,
      policyNumber: number && !full ? maskPolicyNumber(number) : number,
      policyNumberMasked: !full && number !== null,
      type: p.type,
      premium: p.premium,
      premiumPeriod: p.premiumPeriod,
      yearlyPremium: yearlyPremium(p.premium, p.premiumPeriod),
      currency: p.currency,
      renewalDate: p.renewalDate,
      nextRenewal: nextRenewal(p.renewalDate, today),
      coverageText: p.coverageText,
      coverageAmount: p.coverageAmount,
      deductible: p.deductible,
      carId: p.carId,
      item: p.item,
      notes: p.notes,
      reminderLeadDays: p.reminderLeadDays ?? null,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }
}
