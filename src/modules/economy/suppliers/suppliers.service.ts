import { Inject, Injectable, Optional } from '@nestjs/common';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import type { Page } from '../../../infrastructure/mongo/pagination';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { BillsRepository } from '../bills/bills.repository';
import { CategoriesService } from '../categories/categories.service';
import { normalizeKey, unique } from '../common/text';
import {
  ECONOMY_WRITES_LISTENER,
  type SupplierForMatching,
  type SuppliersForMatching,
  type SuppliersForReports,
  type EconomyWritesListener,
} from '../economy.contract';
import { EconomyError } from '../economy.errors';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { ECONOMY_RECORD_TYPES } from '../economy.records';
import { SuppliersRepository } from './suppliers.repository';
import type { SupplierDoc } from './suppliers.schema';
import { notFound } from '../../../common/errors/domain-error';

export interface SupplierInput {
  name: string;
  orgNumber?: string | null;
  bankgiro?: string | null;
  plusgiro?: string | null;
  aliases?: string[];
  defaultCategoryId?: string | null;
  ocrLengthDigit?: boolean;
}

export interface SupplierView {
  id: string;
  name: string;
  orgNumber: string | null;
  bankgiro: string | null;
  plusgiro: string | null;
  aliases: string[];
  defaultCategoryId: string | null;
  ocrLengthDigit: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const AUDITED = [
  'name',
  'orgNumber',
  'bankgiro',
  'plusgiro',
  'aliases',
  'defaultCategoryId',
  'ocrLengthDigit',
];

const view = (s: SupplierDoc): SupplierView => ({
  id: s._id,
  name: s.name,
  orgNumber: s.orgNumber,
  bankgiro: s.bankgiro,
  plusgiro: s.plusgiro,
  aliases: s.aliases,
  defaultCategoryId: s.defaultCategoryId,
  ocrLengthDigit: s.ocrLengthDigit,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

const forMatching = (s: SupplierDoc): SupplierForMatching => ({
  id: s._id,
  name: s.name,
  aliases: s.aliases,
  defaultCategoryId: s.defaultCategoryId,
});

@Injectable()
export class SuppliersService implements SuppliersForMatching, SuppliersForReports {
  constructor(
    private readonly suppliers: SuppliersRepository,
    private readonly bills: BillsRepository,
    private readonly categories: CategoriesService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly trash: TrashService,
    private readonly cache: CacheService,
    @Optional() @Inject(ECONOMY_WRITES_LISTENER) private readonly writes?: EconomyWritesListener,
  ) {}

  /** By name; `q` matches anywhere in the name or an alias, case-insensitively. */
  /** Cached per organization, search and page until a supplier of it changes (docs/cache.md). */
  list(q: string | undefined, page: { cursor?: string; limit: number }): Promise<Page<SupplierView>> {
    const key = q ? normalizeKey(q) : undefined;
    return this.cache.tenant(
      'economy.suppliers',
      ['suppliers'],
      [key ?? null, page.cursor ?? null, page.limit],
      async () => {
        const result = await this.suppliers.list(key || undefined, page);
        return { items: result.items.map(view), nextCursor: result.nextCursor };
      },
    );
  }

  async get(id: string): Promise<SupplierView> {
    return view(await this.require(id));
  }

  async create(input: SupplierInput): Promise<SupplierView> {
    if (input.defaultCategoryId)
      await this.categories.requireReference(input.defaultCategoryId, null, 'defaultCategoryId');
    const nameKey = normalizeKey(input.name);
    const aliases = this.aliases(input.aliases ?? []);
    const created = await this.suppliers.addSupplier({
      _id: await this.ids.getNextGlobalId(),
      name: input.name,
      nameKey,
      orgNumber: input.orgNumber ?? null,
      bankgiro: input.bankgiro ?? null,
      plusgiro: input.plusgiro ?? null,
      aliases,
      searchKeys: unique([nameKey, ...aliases]),
      defaultCategoryId: input.defaultCategoryId ?? null,
      ocrLengthDigit: input.ocrLengthDigit ?? false,
    });
    if (created === TAKEN) throw new EconomyError('SUPPLIER_NAME_TAKEN');
    await this.writes?.economyChanged('supplier');
    await this.audit.record({
      action: AuditAction.SupplierCreated,
      targetType: 'supplier',
      targetId: created._id,
      changes: diffFields({}, created, AUDITED),
    });
    return view(created);
  }

  async update(id: string, patch: Partial<SupplierInput>): Promise<SupplierView> {
    const current = await this.require(id);
    if (patch.defaultCategoryId)
      await this.categories.requireReference(patch.defaultCategoryId, null, 'defaultCategoryId');
    const nameKey = patch.name !== undefined ? normalizeKey(patch.name) : current.nameKey;
    const aliases = patch.aliases !== undefined ? this.aliases(patch.aliases) : current.aliases;
    const renamed = patch.name !== undefined;
    const result = await this.suppliers.changeSupplier(id, {
      name: patch.name,
      nameKey: renamed ? nameKey : undefined,
      aliases: patch.aliases !== undefined ? aliases : undefined,
      searchKeys: renamed || patch.aliases !== undefined ? unique([nameKey, ...aliases]) : undefined,
      orgNumber: patch.orgNumber,
      bankgiro: patch.bankgiro,
      plusgiro: patch.plusgiro,
      defaultCategoryId: patch.defaultCategoryId,
      ocrLengthDigit: patch.ocrLengthDigit,
    });
    if (result === TAKEN) throw new EconomyError('SUPPLIER_NAME_TAKEN');
    if (!result) throw notFound(ECONOMY_RECORD_TYPES.supplier);
    await this.writes?.economyChanged('supplier');
    await this.audit.record({
      action: AuditAction.SupplierUpdated,
      targetType: 'supplier',
      targetId: id,
      changes: diffFields(result.before, result.after, AUDITED),
    });
    return view(result.after);
  }

  /** To the trash (soft delete; answers the undo payload); refused while the supplier has open bills (they are what bank lines match). */
  async remove(id: string): Promise<UndoPayload> {
    const current = await this.require(id);
    const openBills = await this.bills.countOpenBySupplier(id);
    if (openBills > 0) throw new EconomyError('SUPPLIER_HAS_OPEN_BILLS', undefined, { openBills });
    const undo = await this.trash.delete(ECONOMY_RECORD_TYPES.supplier, id);
    await this.writes?.economyChanged('supplier');
    await this.audit.record({
      action: AuditAction.SupplierDeleted,
      targetType: 'supplier',
      targetId: id,
      changes: { before: { name: current.name }, after: {} },
    });
    return undo;
  }

  async listForMatching(): Promise<SupplierForMatching[]> {
    return (await this.suppliers.all()).map(forMatching);
  }

  async findForMatching(id: string): Promise<SupplierForMatching | null> {
    const supplier = await this.suppliers.findById(id);
    return supplier && forMatching(supplier);
  }

  /** A supplier referenced from a transaction or bill (`field` names the input field). */
  async requireReference(id: string, field: string): Promise<SupplierDoc> {
    const supplier = await this.suppliers.findById(id);
    if (!supplier)
      throw new EconomyError('INVALID_REFERENCE', `${field} does not name a supplier`, { field });
    return supplier;
  }

  /** Suppliers by id, deleted ones included (old records keep their names). */
  async byIds(ids: string[]): Promise<Map<string, SupplierDoc>> {
    const found = await this.suppliers.findByIds(unique(ids), { withDeleted: true });
    return new Map(found.map((s) => [s._id, s]));
  }

  private async require(id: string): Promise<SupplierDoc> {
    const supplier = await this.suppliers.findById(id);
    if (!supplier) throw notFound(ECONOMY_RECORD_TYPES.supplier);
    return supplier;
  }

  private aliases(values: string[]): string[] {
    return unique(values.map(normalizeKey).filter((a) => a !== ''));
  }
}
