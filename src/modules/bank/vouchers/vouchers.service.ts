import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ORG_ROLE_RANK } from '../../../common/auth/roles';
import { RequestContext } from '../../../common/context/request-context';
import { normalizePersonnummer } from '../../../common/validation/luhn';
import { normalizeOrgNumber } from '../../../common/validation/swedish';
import { Clock } from '../../../infrastructure/clock/clock';
import { FieldCrypto } from '../../../infrastructure/crypto/field-crypto';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields, hasChanges } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { OrganizationsService } from '../../organizations/organizations.service';
import { RecordRegistry } from '../../trash/record-registry';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import { BankError } from '../bank.errors';
import { BOOKKEEPING_NOT_IMPORTED } from '../bank.records';
import { stockholmDate } from '../common/dates';
import { assertBalanced, type BillBooking, type VoucherRow } from './booking-templates';
import { fiscalYearOf, fiscalYearRange } from './fiscal-year';
import { writeSie4 } from './sie4.writer';
import { BookkeepingSettingsRepository, VouchersRepository } from './vouchers.repository';
import type {
  BookkeepingSettingsDoc,
  OrgNumberKind,
  VoucherCorrectionDoc,
  VoucherDoc,
  VoucherPolicy,
  VoucherSource,
} from './vouchers.schema';
import { notFound } from '../../../common/errors/domain-error';

const MAX_NUMBER_ATTEMPTS = 60;

const orgNumberAad = (organizationId: string) => `bookkeeping_settings.${organizationId}.orgNumber`;
/** An organisationsnummer has a third digit of at least 2; anything else valid here is a personnummer. */
const kindOf = (orgNumber: string): OrgNumberKind =>
  normalizeOrgNumber(orgNumber) ? 'organisation' : 'personal';
/** `811218-9876` → `••••••-••76`: a personnummer as non-admins and the audit log see it. */
export const maskPersonnummer = (value: string): string => `••••••-••${value.replace(/\D/g, '').slice(-2)}`;
const masked = (settings: BookkeepingSettings): BookkeepingSettings =>
  settings.orgNumber && settings.orgNumberKind === 'personal'
    ? { ...settings, orgNumber: maskPersonnummer(settings.orgNumber) }
    : settings;
const PROGRAM = { name: 'WestWallet', version: '0.1.0' };

export interface BookkeepingSettings {
  /** In full here; `visibleSettings()` masks a personnummer for non-admins. */
  orgNumber: string | null;
  /** `personal`: a sole trader's personnummer (masked for non-admins and in audit diffs). */
  orgNumberKind: OrgNumberKind | null;
  fiscalYearStartMonth: number;
  series: string;
  billBooking: BillBooking;
  autoThreshold: number;
}

export const DEFAULT_SETTINGS: BookkeepingSettings = {
  orgNumber: null,
  orgNumberKind: null,
  fiscalYearStartMonth: 1,
  series: 'B',
  billBooking: 'supplier_debt',
  autoThreshold: 3,
};

/** What a booking step hands over; numbering, series and fiscal year are added here. */
export interface VoucherDraft {
  date: string;
  text: string;
  rows: VoucherRow[];
  source: VoucherSource;
  /** Unique per step (`match:<id>`, `undo:<id>`): the same step never writes two vouchers. */
  sourceKey: string;
  createdBy: string;
  approvedBy: string | null;
  approvedAt: Date | null;
  automatic: boolean;
  corrects: string | null;
  policy: VoucherPolicy | null;
  scoreVersion: string | null;
  confidence: number | null;
}

export interface VoucherView {
  id: string;
  series: string;
  number: number;
  /** `B1` — series and number as printed. */
  label: string;
  fiscalYear: number;
  date: string;
  text: string;
  rows: VoucherRow[];
  totals: { debit: number; credit: number };
  source: VoucherSource;
  createdBy: string;
  createdAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
  automatic: boolean;
  corrects: string | null;
  /** Derived from the correction link (the original is never written to). */
  correctedBy: string | null;
  policy: VoucherPolicy | null;
  scoreVersion: string | null;
  confidence: number | null;
}

export function voucherView(v: VoucherDoc, correctedBy: string | null): VoucherView {
  return {
    id: v._id,
    series: v.series,
    number: v.number,
    label: `${v.series}${v.number}`,
    fiscalYear: v.fiscalYear,
    date: v.date,
    text: v.text,
    rows: v.rows.map((r) => ({
      account: r.account,
      accountName: r.accountName,
      debit: r.debit,
      credit: r.credit,
      categoryId: r.categoryId ?? null,
    })),
    totals: {
      debit: v.rows.reduce((s, r) => s + r.debit, 0),
      credit: v.rows.reduce((s, r) => s + r.credit, 0),
    },
    source: v.source,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    approvedBy: v.approvedBy,
    approvedAt: v.approvedAt,
    automatic: v.automatic,
    corrects: v.corrects,
    correctedBy,
    policy: v.policy,
    scoreVersion: v.scoreVersion,
    confidence: v.confidence,
  };
}

/**
 * Verifikationer: numbering without gaps or repeats, immutability, bookkeeping settings, SIE 4 export.
 *
 * Numbering without transactions: a voucher is inserted complete with number = (highest number of its series and
 * fiscal year) + 1; the unique index {organizationId, fiscalYear, series, number} lets exactly one of several
 * concurrent writers have a number — the others get 11000, read the new highest number and try again (bounded,
 * with a small random backoff). Writers in one process also queue per series, so they rarely collide at all.
 * Since a number exists only as a complete voucher, a crash can never leave a gap; and `sourceKey` (unique) makes
 * a retried booking step find its voucher instead of writing a second one.
 */
@Injectable()
export class VouchersService implements OnModuleInit {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly vouchers: VouchersRepository,
    private readonly settingsRepo: BookkeepingSettingsRepository,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
    private readonly organizations: OrganizationsService,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly registry: RecordRegistry,
    private readonly crypto: FieldCrypto,
  ) {}

  /**
   * Vouchers are bookkeeping records for the trash and uploads: never deleted, files attached to them neither. The
   * vouchers, their correction links and the settings are in the organization export, export-only
   * (docs/portability.md): readable in the archive (BFL 7 kap), never replayed into another organization's series.
   * A voucher's own `createdAt` (when it was recorded) travels as `registeredAt`, since the archive drops timestamps;
   * the organization number is decrypted into the archive (the organization's own data).
   */
  onModuleInit(): void {
    this.registry.register<VoucherDoc>({
      type: 'voucher',
      find: (id) => this.vouchers.findById(id),
      label: (v) => `${v.series}${v.number} ${v.text}`,
      bookkeeping: true,
      canOwnFiles: true,
      portable: {
        file: 'vouchers',
        importable: false,
        reason: BOOKKEEPING_NOT_IMPORTED,
        userFields: ['createdBy', 'approvedBy'],
        list: async () => (await this.vouchers.find({})).map((v) => ({ ...v, registeredAt: v.createdAt })),
      },
    });
    this.registry.register<VoucherCorrectionDoc>({
      type: 'voucher_correction',
      // `_id` is the corrected voucher's id: found through the voucher
      find: () => Promise.resolve(null),
      label: (c) => `${c._id} → ${c.correctionId}`,
      bookkeeping: true,
      canOwnFiles: false,
      portable: {
        file: 'voucher_corrections',
        importable: false,
        reason: BOOKKEEPING_NOT_IMPORTED,
        list: () => this.vouchers.allCorrections(),
      },
    });
    this.registry.register<BookkeepingSettingsDoc>({
      type: 'bookkeeping_settings',
      find: () => Promise.resolve(null),
      label: () => 'Bokföringsinställningar',
      canOwnFiles: false,
      portable: {
        file: 'bookkeeping_settings',
        importable: false,
        reason: BOOKKEEPING_NOT_IMPORTED,
        list: async () => {
          const stored = await this.settingsRepo.get();
          return stored ? [stored] : [];
        },
        toRow: ({ orgNumberEnc, ...s }) => ({
          ...s,
          orgNumber:
            typeof orgNumberEnc === 'string'
              ? this.crypto.decrypt(orgNumberEnc, orgNumberAad(String(s._id)))
              : (s.orgNumber ?? null),
        }),
      },
    });
  }

  /**
   * The settings with the number in full (SIE export, bookings, admins). A plain-text number stored before it was
   * encrypted is encrypted on this first read (lazy migration, docs/bank.md).
   */
  async settings(): Promise<BookkeepingSettings> {
    const stored = await this.settingsRepo.get();
    if (!stored) return { ...DEFAULT_SETTINGS };
    let orgNumber: string | null = null;
    let orgNumberKind: OrgNumberKind | null = stored.orgNumberKind ?? null;
    if (stored.orgNumberEnc) {
      orgNumber = this.crypto.decrypt(stored.orgNumberEnc, orgNumberAad(stored._id));
    } else if (stored.orgNumber) {
      orgNumber = stored.orgNumber;
      orgNumberKind = kindOf(orgNumber);
      await this.settingsRepo.encryptLegacyOrgNumber(
        orgNumber,
        this.crypto.encrypt(orgNumber, orgNumberAad(stored._id)),
        orgNumberKind,
      );
    }
    return {
      orgNumber,
      orgNumberKind: orgNumber ? (orgNumberKind ?? kindOf(orgNumber)) : null,
      fiscalYearStartMonth: stored.fiscalYearStartMonth ?? 1,
      series: stored.series ?? 'B',
      billBooking: stored.billBooking ?? 'supplier_debt',
      autoThreshold: stored.autoThreshold ?? 3,
    };
  }

  /** What GET bookkeeping/settings shows: a personnummer masked for anyone below admin. */
  async visibleSettings(): Promise<BookkeepingSettings> {
    const settings = await this.settings();
    const admin = ORG_ROLE_RANK[this.context.requireTenant().orgRole] >= ORG_ROLE_RANK.admin;
    return admin ? settings : masked(settings);
  }

  async updateSettings(
    patch: Partial<Omit<BookkeepingSettings, 'orgNumberKind'>>,
  ): Promise<BookkeepingSettings> {
    const before = await this.settings();
    const { orgNumber: _plain, ...rest } = patch;
    const fields: Partial<Omit<BookkeepingSettingsDoc, 'orgNumber'>> = rest;
    const organizationId = this.context.requireTenant().organizationId;
    if (patch.orgNumber === null || patch.orgNumber === '') {
      Object.assign(fields, { orgNumberEnc: null, orgNumberKind: null });
    } else if (patch.orgNumber) {
      const normalized =
        normalizeOrgNumber(patch.orgNumber) ?? normalizePersonnummer(patch.orgNumber, this.clock.now());
      if (!normalized)
        throw new BankError(
          'INVALID_REFERENCE',
          'orgNumber is neither a valid organisationsnummer nor a personnummer',
          { field: 'orgNumber' },
        );
      const orgNumber =
        normalized.length === 12 ? `${normalized.slice(2, 8)}-${normalized.slice(8)}` : normalized;
      Object.assign(fields, {
        orgNumberEnc: this.crypto.encrypt(orgNumber, orgNumberAad(organizationId)),
        orgNumberKind: kindOf(orgNumber),
      });
    }
    const locked =
      (patch.fiscalYearStartMonth !== undefined &&
        patch.fiscalYearStartMonth !== before.fiscalYearStartMonth) ||
      (patch.series !== undefined && patch.series !== before.series);
    if (locked && (await this.vouchers.count()) > 0)
      throw new BankError(
        'SETTINGS_LOCKED',
        'The fiscal year start and the series cannot change once vouchers exist',
      );
    if (!Object.keys(fields).length) return before;
    await this.settingsRepo.upsert({ ...fields, updatedBy: this.context.actor?.userId ?? null });
    const after = await this.settings();
    // A personnummer never enters the audit log: the diff compares the masked forms (a change still shows).
    const shown = { before: masked(before), after: masked(after) };
    const changes = diffFields(shown.before, shown.after);
    if (before.orgNumber !== after.orgNumber && !('orgNumber' in changes.after)) {
      // Two personnummer with the same last digits mask alike: the entry still says the number changed.
      changes.before.orgNumber = shown.before.orgNumber;
      changes.after.orgNumber = shown.after.orgNumber;
    }
    if (hasChanges(changes)) {
      await this.audit.record({
        action: AuditAction.BookkeepingSettingsUpdated,
        targetType: 'bookkeeping_settings',
        targetId: organizationId,
        changes,
      });
    }
    return after;
  }

  /** Writes (or, for a retried step, finds) the voucher of a booking step. */
  async write(draft: VoucherDraft): Promise<VoucherDoc> {
    const existing = await this.vouchers.findBySourceKey(draft.sourceKey);
    if (existing) return existing;
    assertBalanced(draft.rows);
    const settings = await this.settings();
    const fiscalYear = fiscalYearOf(draft.date, settings.fiscalYearStartMonth);
    const series = settings.series;
    const id = await this.ids.getNextGlobalId();
    const key = `${this.context.requireTenant().organizationId}:${series}:${fiscalYear}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.claimNumber(id, fiscalYear, series, draft));
    const tail = next.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    const voucher = await next;
    if (voucher._id === id) {
      await this.audit.record({
        action: AuditAction.VoucherCreated,
        targetType: 'voucher',
        targetId: voucher._id,
        metadata: {
          label: `${voucher.series}${voucher.number}`,
          fiscalYear: voucher.fiscalYear,
          date: voucher.date,
          automatic: voucher.automatic,
          corrects: voucher.corrects,
          sourceKey: voucher.sourceKey,
          policyId: voucher.policy?.id ?? null,
          scoreVersion: voucher.scoreVersion,
          total: voucher.rows.reduce((s, r) => s + r.debit, 0),
        },
      });
    }
    return voucher;
  }

  private async claimNumber(
    id: string,
    fiscalYear: number,
    series: string,
    draft: VoucherDraft,
  ): Promise<VoucherDoc> {
    for (let attempt = 1; attempt <= MAX_NUMBER_ATTEMPTS; attempt++) {
      const number = (await this.vouchers.lastNumber(fiscalYear, series)) + 1;
      const result = await this.vouchers.insertNumbered({
        _id: id,
        series,
        fiscalYear,
        number,
        date: draft.date,
        text: draft.text.slice(0, 500),
        rows: draft.rows,
        source: draft.source,
        sourceKey: draft.sourceKey,
        createdBy: draft.createdBy,
        createdAt: this.clock.now(),
        approvedBy: draft.approvedBy,
        approvedAt: draft.approvedAt,
        automatic: draft.automatic,
        corrects: draft.corrects,
        policy: draft.policy,
        scoreVersion: draft.scoreVersion,
        confidence: draft.confidence,
      });
      if (result.ok) return result.voucher;
      const bySource = await this.vouchers.findBySourceKey(draft.sourceKey);
      if (bySource) return bySource;
      await sleep(1 + Math.floor(Math.random() * Math.min(50, 5 * attempt)));
    }
    throw new BankError('VOUCHER_NUMBER_CONTENDED');
  }

  /** Writes the correction link once. */
  linkCorrection(originalId: string, correctionId: string): Promise<boolean> {
    return this.vouchers.linkCorrection(originalId, correctionId, this.clock.now());
  }

  findRaw(id: string): Promise<VoucherDoc | null> {
    return this.vouchers.findById(id);
  }

  async get(id: string): Promise<VoucherView> {
    const voucher = await this.vouchers.findById(id);
    if (!voucher) throw notFound('voucher');
    const links = await this.vouchers.correctedBy([id]);
    return voucherView(voucher, links.get(id) ?? null);
  }

  /** 404 for a missing (or foreign) voucher, else 409: vouchers are never changed or deleted. */
  async refuseChange(id: string): Promise<never> {
    const voucher = await this.vouchers.findById(id);
    if (!voucher) throw notFound('voucher');
    throw new BankError('BOOKKEEPING_RECORD_IMMUTABLE', undefined, {
      id,
      label: `${voucher.series}${voucher.number}`,
    });
  }

  async list(query: {
    fiscalYear?: number;
    series?: string;
    cursor?: string;
    limit: number;
  }): Promise<Page<VoucherView> & { fiscalYear: number }> {
    const settings = await this.settings();
    const fiscalYear = query.fiscalYear ?? fiscalYearOf(this.today(), settings.fiscalYearStartMonth);
    let after: { series: string; number: number } | undefined;
    if (query.cursor) {
      const m = /^([A-Z]{1,3}):(\d+)$/.exec(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      if (!m) throw new BankError('INVALID_REFERENCE', 'cursor is not valid', { field: 'cursor' });
      after = { series: m[1], number: Number(m[2]) };
    }
    const rows = await this.vouchers.list(fiscalYear, {
      series: query.series,
      after,
      limit: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const links = await this.vouchers.correctedBy(items.map((v) => v._id));
    const last = items[items.length - 1];
    return {
      fiscalYear,
      items: items.map((v) => voucherView(v, links.get(v._id) ?? null)),
      nextCursor:
        rows.length > query.limit && last
          ? Buffer.from(`${last.series}:${last.number}`).toString('base64url')
          : null,
    };
  }

  /** SIE 4 of one fiscal year, CP437 bytes. */
  async exportSie(
    fiscalYear: number | undefined,
  ): Promise<{ fileName: string; bytes: Buffer; fiscalYear: number; vouchers: number }> {
    const settings = await this.settings();
    if (!settings.orgNumber) throw new BankError('SIE_ORG_NUMBER_MISSING');
    const year = fiscalYear ?? fiscalYearOf(this.today(), settings.fiscalYearStartMonth);
    const tenant = this.context.requireTenant();
    const org = await this.organizations.get(tenant.organizationId);
    const actor = this.context.requireActor();
    const user = await this.users.findById(actor.userId);
    const vouchers = await this.vouchers.list(year);
    const bytes = writeSie4({
      program: PROGRAM,
      generatedAt: this.clock.now(),
      generatedBy: user?.name ?? actor.userId,
      companyName: org.name,
      orgNumber: settings.orgNumber,
      fiscalYear: fiscalYearRange(year, settings.fiscalYearStartMonth),
      currency: 'SEK',
      vouchers: vouchers.map((v) => ({
        series: v.series,
        number: v.number,
        date: v.date,
        text: v.text,
        registeredAt: v.createdAt,
        rows: v.rows,
      })),
    });
    await this.audit.record({
      action: AuditAction.VoucherExported,
      targetType: 'voucher_export',
      targetId: String(year),
      metadata: { format: 'sie4', fiscalYear: year, vouchers: vouchers.length, bytes: bytes.length },
    });
    return {
      fileName: `westwallet-${settings.orgNumber.replace(/\D/g, '')}-${year}.se`,
      bytes,
      fiscalYear: year,
      vouchers: vouchers.length,
    };
  }

  today(): string {
    return stockholmDate(this.clock.now());
  }
}
