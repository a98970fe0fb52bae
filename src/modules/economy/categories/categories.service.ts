import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { CacheService } from '../../../infrastructure/cache/cache.service';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import { AuditAction } from '../../audit/audit-action';
import { diffFields } from '../../audit/audit.diff';
import { AuditService } from '../../audit/audit.service';
import { OrganizationsService } from '../../organizations/organizations.service';
import { BillsRepository } from '../bills/bills.repository';
import { normalizeKey } from '../common/text';
import type { CategoriesForBooking, CategoriesForReports, CategoryForBooking } from '../economy.contract';
import { EconomyError } from '../economy.errors';
import { TrashService } from '../../trash/trash.service';
import type { UndoPayload } from '../../trash/trash.undo';
import { ECONOMY_RECORD_TYPES } from '../economy.records';
import { SuppliersRepository } from '../suppliers/suppliers.repository';
import { TransactionsRepository } from '../transactions/transactions.repository';
import { CategoriesRepository, CategorySeedsRepository } from './categories.repository';
import type { CategoryDoc, CategoryKind } from './categories.schema';
import { countDefaults, defaultCategories, type DefaultCategory } from './category-defaults';
import { depthOf, MAX_CATEGORY_DEPTH, pathOf, subtreeHeight, withDescendants } from './category-tree';
import { notFound } from '../../../common/errors/domain-error';

export interface CategoryView {
  id: string;
  name: string;
  kind: CategoryKind;
  parentId: string | null;
  /** Names from the root down: `Boende / El`. */
  path: string;
  basAccount: string | null;
  /** Created from the organization's default set. */
  isDefault: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CategoryUsage {
  transactions: number;
  bills: number;
  suppliers: number;
  subcategories: number;
}

export interface CategoryLabel {
  name: string;
  path: string;
  kind: CategoryKind;
  parentId: string | null;
  /** BAS account number, or null (reports filter on it). */
  basAccount: string | null;
}

/** Remembered per process so that seeded organizations cost no query; cleared when it grows this large. */
const SEEDED_MEMORY = 50_000;

@Injectable()
export class CategoriesService implements CategoriesForBooking, CategoriesForReports {
  private readonly seeded = new Set<string>();

  constructor(
    private readonly categories: CategoriesRepository,
    private readonly seeds: CategorySeedsRepository,
    private readonly transactions: TransactionsRepository,
    private readonly bills: BillsRepository,
    private readonly suppliers: SuppliersRepository,
    private readonly organizations: OrganizationsService,
    private readonly ids: GlobalIdService,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly trash: TrashService,
    private readonly cache: CacheService,
  ) {}

  /**
   * Creates the organization's default categories the first time its categories are touched (there is no
   * organization-created event yet). Idempotent and safe under concurrency: roots are inserted unordered with
   * duplicate keys tolerated (the unique sibling-name index lets one copy win), children are attached to whichever
   * root won, and the `category_seeds` marker (unique `_id` = organization) is written last, so a crash halfway
   * is completed by the next call and a default the user deleted afterwards is never re-created.
   */
  async ensureDefaults(): Promise<void> {
    const { organizationId } = this.context.requireTenant();
    if (this.seeded.has(organizationId)) return;
    if (!(await this.seeds.exists())) {
      const org = await this.organizations.get(organizationId);
      const roots = defaultCategories(org.type);
      const rootIds = await this.ids.reserveGlobalIds(roots.length);
      await this.categories.addMany(
        roots.map((c, i) => this.defaultDoc(c, rootIds[i], null)),
        { tolerateDuplicates: true },
      );
      const stored = await this.categories.findRoots();
      const storedId = new Map(stored.map((c) => [`${c.kind}:${c.nameKey}`, c._id]));
      const children = roots.flatMap((root) => {
        const parentId = storedId.get(`${root.kind}:${normalizeKey(root.name)}`);
        return parentId ? (root.children ?? []).map((child) => ({ child, parentId })) : [];
      });
      if (children.length) {
        const childIds = await this.ids.reserveGlobalIds(children.length);
        await this.categories.addMany(
          children.map(({ child, parentId }, i) => this.defaultDoc(child, childIds[i], parentId)),
          { tolerateDuplicates: true },
        );
      }
      const count = countDefaults(org.type);
      if (await this.seeds.mark(org.type, count)) {
        await this.audit.record({
          action: AuditAction.CategoryDefaultsCreated,
          targetType: 'organization',
          targetId: organizationId,
          metadata: { orgType: org.type, count },
        });
      }
    }
    if (this.seeded.size >= SEEDED_MEMORY) this.seeded.clear();
    this.seeded.add(organizationId);
  }

  /**
   * The organization's categories (live, or with the deleted ones) from the cache until one of them changes
   * (docs/cache.md). For reads only: writes check against the database itself.
   */
  private tree(withDeleted = false): Promise<CategoryDoc[]> {
    return this.cache.tenant('economy.categories', ['categories'], [withDeleted], () =>
      this.categories.all({ withDeleted }),
    );
  }

  async list(filter: { kind?: CategoryKind } = {}): Promise<CategoryView[]> {
    await this.ensureDefaults();
    const all = await this.tree();
    // Depth first: each category right after its parent, siblings by name.
    const byParent = new Map<string | null, CategoryDoc[]>();
    for (const c of all) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
    const ordered: CategoryDoc[] = [];
    const visit = (parentId: string | null) => {
      for (const c of byParent.get(parentId) ?? []) {
        ordered.push(c);
        visit(c._id);
      }
    };
    visit(null);
    // categories whose parent is gone (should not happen) still show
    const seen = new Set(ordered.map((c) => c._id));
    for (const c of all) if (!seen.has(c._id)) ordered.push(c);
    return ordered.filter((c) => !filter.kind || c.kind === filter.kind).map((c) => this.view(c, all));
  }

  async get(id: string): Promise<CategoryView> {
    await this.ensureDefaults();
    const all = await this.tree();
    const category = all.find((c) => c._id === id);
    if (!category) throw notFound(ECONOMY_RECORD_TYPES.category);
    return this.view(category, all);
  }

  async create(input: {
    name: string;
    kind: CategoryKind;
    parentId?: string | null;
    basAccount?: string | null;
  }): Promise<CategoryView> {
    await this.ensureDefaults();
    const all = await this.categories.all();
    const parentId = input.parentId ?? null;
    if (parentId) {
      const parent = all.find((c) => c._id === parentId);
      if (!parent)
        throw new EconomyError('INVALID_REFERENCE', 'parentId does not name a category', {
          field: 'parentId',
        });
      if (parent.kind !== input.kind) {
        throw new EconomyError('CATEGORY_KIND_MISMATCH', `The parent is an ${parent.kind} category`, {
          field: 'parentId',
        });
      }
      if (depthOf(all, parentId) + 1 > MAX_CATEGORY_DEPTH) throw new EconomyError('CATEGORY_TOO_DEEP');
    }
    const created = await this.categories.addCategory({
      _id: await this.ids.getNextGlobalId(),
      name: input.name,
      nameKey: normalizeKey(input.name),
      kind: input.kind,
      parentId,
      basAccount: input.basAccount ?? null,
      defaultKey: null,
    });
    if (created === TAKEN) throw new EconomyError('CATEGORY_NAME_TAKEN');
    await this.audit.record({
      action: AuditAction.CategoryCreated,
      targetType: 'category',
      targetId: created._id,
      changes: {
        before: {},
        after: { name: created.name, kind: created.kind, parentId, basAccount: created.basAccount },
      },
    });
    return this.view(created, [...all, created]);
  }

  /** Rename, move (same kind, no cycles, depth ≤ 4) or change the BAS account. The kind never changes. */
  async update(
    id: string,
    patch: { name?: string; parentId?: string | null; basAccount?: string | null },
  ): Promise<CategoryView> {
    await this.ensureDefaults();
    const all = await this.categories.all();
    const current = all.find((c) => c._id === id);
    if (!current) throw notFound(ECONOMY_RECORD_TYPES.category);
    const parentId = patch.parentId !== undefined ? patch.parentId : current.parentId;
    if (parentId !== current.parentId && parentId !== null) {
      const parent = all.find((c) => c._id === parentId);
      if (!parent)
        throw new EconomyError('INVALID_REFERENCE', 'parentId does not name a category', {
          field: 'parentId',
        });
      if (parent.kind !== current.kind) {
        throw new EconomyError('CATEGORY_KIND_MISMATCH', `The parent is an ${parent.kind} category`, {
          field: 'parentId',
        });
      }
      if (withDescendants(all, id).includes(parentId)) throw new EconomyError('CATEGORY_CYCLE');
      if (depthOf(all, parentId) + subtreeHeight(all, id) > MAX_CATEGORY_DEPTH)
        throw new EconomyError('CATEGORY_TOO_DEEP');
    }
    const result = await this.categories.changeCategory(current, {
      parentId,
      name: patch.name !== undefined ? { name: patch.name, nameKey: normalizeKey(patch.name) } : undefined,
      basAccount: patch.basAccount,
    });
    if (result === TAKEN) throw new EconomyError('CATEGORY_NAME_TAKEN');
    if (!result) throw notFound(ECONOMY_RECORD_TYPES.category);
    await this.audit.record({
      action: AuditAction.CategoryUpdated,
      targetType: 'category',
      targetId: id,
      changes: diffFields(result.before, result.after, ['name', 'parentId', 'basAccount']),
    });
    return this.view(
      result.after,
      all.map((c) => (c._id === id ? result.after : c)),
    );
  }

  /** How many live records use the category. */
  async usage(id: string): Promise<CategoryUsage> {
    const all = await this.categories.all();
    const [transactions, bills, suppliers] = await Promise.all([
      this.transactions.countByCategory(id),
      this.bills.countByCategory(id),
      this.suppliers.countByDefaultCategory(id),
    ]);
    return { transactions, bills, suppliers, subcategories: all.filter((c) => c.parentId === id).length };
  }

  /**
   * Soft-deletes a category. In use (transactions, bills, suppliers' default, subcategories) it needs `moveTo`: a
   * live category of the same kind outside its own subtree, which receives the records (deleted ones too, so a
   * restore from the trash lands on a live category) and the direct subcategories. Without it → 409
   * CATEGORY_IN_USE with the counts. The moves run before the delete, so a failure halfway can simply be retried.
   */
  async remove(id: string, moveTo?: string): Promise<UndoPayload & { moved: CategoryUsage | null }> {
    await this.ensureDefaults();
    const all = await this.categories.all();
    const current = all.find((c) => c._id === id);
    if (!current) throw notFound(ECONOMY_RECORD_TYPES.category);
    const usage = await this.usage(id);
    const inUse = Object.values(usage).some((n) => n > 0);
    if (moveTo === undefined && inUse) {
      throw new EconomyError('CATEGORY_IN_USE', undefined, usage);
    }
    let moved: CategoryUsage | null = null;
    if (moveTo !== undefined) {
      const target = all.find((c) => c._id === moveTo);
      if (!target)
        throw new EconomyError('INVALID_REFERENCE', 'moveTo does not name a category', { field: 'moveTo' });
      if (withDescendants(all, id).includes(moveTo))
        throw new EconomyError('CATEGORY_CYCLE', 'moveTo is the category itself or below it');
      if (target.kind !== current.kind) {
        throw new EconomyError('CATEGORY_KIND_MISMATCH', `moveTo is an ${target.kind} category`, {
          field: 'moveTo',
        });
      }
      const children = all.filter((c) => c.parentId === id);
      const taken = new Set(all.filter((c) => c.parentId === moveTo).map((c) => c.nameKey));
      const clashes = children.filter((c) => taken.has(c.nameKey)).map((c) => c.name);
      if (clashes.length) {
        throw new EconomyError('CATEGORY_NAME_TAKEN', 'moveTo already has subcategories with these names', {
          names: clashes,
        });
      }
      const targetDepth = depthOf(all, moveTo);
      if (children.some((c) => targetDepth + subtreeHeight(all, c._id) > MAX_CATEGORY_DEPTH)) {
        throw new EconomyError('CATEGORY_TOO_DEEP');
      }
      const [transactions, bills, suppliers, subcategories] = await Promise.all([
        this.transactions.recategorize(id, moveTo),
        this.bills.recategorize(id, moveTo),
        this.suppliers.replaceDefaultCategory(id, moveTo),
        this.categories.reparentChildren(id, moveTo),
      ]);
      moved = { transactions, bills, suppliers, subcategories };
    }
    const undo = await this.trash.delete(ECONOMY_RECORD_TYPES.category, id);
    await this.audit.record({
      action: AuditAction.CategoryDeleted,
      targetType: 'category',
      targetId: id,
      changes: { before: { name: current.name, kind: current.kind, parentId: current.parentId }, after: {} },
      metadata: moved ? { moveTo, moved } : undefined,
    });
    return { ...undo, moved };
  }

  /** For bank booking: the category's kind and BAS account. */
  async getForBooking(id: string): Promise<CategoryForBooking> {
    const category = await this.categories.findById(id);
    if (!category) throw notFound(ECONOMY_RECORD_TYPES.category);
    return { id: category._id, name: category.name, kind: category.kind, basAccount: category.basAccount };
  }

  /**
   * A category referenced from a transaction or bill (`field` names the input field): must exist in this
   * organization and, when `kind` is given, be of that kind.
   */
  async requireReference(id: string, kind: CategoryKind | null, field: string): Promise<CategoryDoc> {
    const category = await this.categories.findById(id);
    if (!category)
      throw new EconomyError('INVALID_REFERENCE', `${field} does not name a category`, { field });
    if (kind && category.kind !== kind) {
      throw new EconomyError(
        'CATEGORY_KIND_MISMATCH',
        `${field} is an ${category.kind} category, the record is ${kind}`,
        {
          field,
        },
      );
    }
    return category;
  }

  /** Every live category by id (bulk reference checks). */
  async liveMap(): Promise<Map<string, CategoryDoc>> {
    return new Map((await this.tree()).map((c) => [c._id, c]));
  }

  /** The category and all its live descendants (for "category incl. children" filters). */
  async withDescendants(id: string): Promise<string[]> {
    return withDescendants(await this.tree(), id);
  }

  /** Names and paths of every category, deleted ones included (old records keep their labels). */
  async labels(): Promise<Map<string, CategoryLabel>> {
    const all = await this.tree(true);
    return new Map(
      all.map((c) => [
        c._id,
        {
          name: c.name,
          path: pathOf(all, c._id),
          kind: c.kind,
          parentId: c.parentId,
          basAccount: c.basAccount,
        },
      ]),
    );
  }

  private defaultDoc(c: DefaultCategory, id: string, parentId: string | null) {
    return {
      _id: id,
      name: c.name,
      nameKey: normalizeKey(c.name),
      kind: c.kind,
      parentId,
      basAccount: c.bas ?? null,
      defaultKey: c.key,
    };
  }

  private view(c: CategoryDoc, all: readonly CategoryDoc[]): CategoryView {
    return {
      id: c._id,
      name: c.name,
      kind: c.kind,
      parentId: c.parentId,
      path: pathOf(all, c._id),
      basAccount: c.basAccount,
      isDefault: c.defaultKey !== null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }
}
