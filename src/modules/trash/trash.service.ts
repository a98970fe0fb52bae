import { Inject, Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '../../common/context/request-context';
import { Clock } from '../../infrastructure/clock/clock';
import { TAKEN } from '../../infrastructure/mongo/unique';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { DEFAULT_PREFERENCES } from '../users/preferences';
import { USERS, type UsersDirectory } from '../users/users.contract';
import { RecordRegistry } from './record-registry';
import type { RecordRef, RecordTypeDefinition, TrashableRecord } from './record-types';
import { TrashError } from './trash.errors';
import { TrashRepository } from './trash.repository';
import type { TrashItemDoc } from './trash.schema';
import { buildUndoPayload, TRASH_PATH, type UndoPayload } from './trash.undo';
import { notFound } from '../../common/errors/domain-error';

const DAY_MS = 24 * 3600 * 1000;
const PURGE_BATCH = 100;
const PURGE_MAX_BATCHES = 50;

export type PurgeReason = 'manual' | 'empty' | 'retention';

export interface TrashItemView {
  id: string;
  type: string;
  label: string;
  deletedAt: Date;
  deletedBy: { id: string; name: string | null };
  expiresAt: Date;
  cascaded: RecordRef[];
  undo: UndoPayload['undo'];
}

export interface RestoreResult {
  id: string;
  type: string;
  /** The record and everything that went to the trash with it, nothing else. */
  restored: string[];
}

export interface PurgeResult {
  id: string;
  type: string;
  /** Every record removed for good: the item's record, what went with it, and its dependents already in the trash. */
  purged: string[];
}

/** A record type that can go to the trash (has the `trash` hooks). */
type TrashableDefinition = RecordTypeDefinition & { trash: NonNullable<RecordTypeDefinition['trash']> };

/**
 * The generic trash, by global id across record types. Modules register their types in the RecordRegistry and
 * call `delete(type, id)` from their own DELETE route; everything after that (list, restore with cascade, purge,
 * retention) happens here. Deleting is the foundation's soft delete; the `trash_items` index makes listing cheap.
 *
 * No transactions (FerretDB): every step is ordered so that a crash leaves a state the next call repairs — the
 * trash item is written before the soft deletes and removed after the restores/purges, and every hook is
 * idempotent.
 */
@Injectable()
export class TrashService {
  private readonly logger = new Logger(TrashService.name);

  constructor(
    private readonly registry: RecordRegistry,
    private readonly items: TrashRepository,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly context: RequestContext,
  ) {}

  /**
   * Moves a live record of this organization (and everything that depends on it) to the trash and returns the undo
   * payload for the module's DELETE response. Bookkeeping records (or anything depending on one) → 409.
   */
  async delete(type: string, id: string): Promise<UndoPayload> {
    const definition = this.trashable(type);
    const record = await definition.find(id, { withDeleted: false });
    if (!record) throw notFound(type);
    await this.assertNotBookkeeping(type, record);
    const cascade = await this.registry.collectDependents({ type, id }, (d) => !d.isDeleted);
    for (const dependent of cascade) {
      const dependentRecord = await this.trashable(dependent.type).find(dependent.id, { withDeleted: false });
      if (dependentRecord) await this.assertNotBookkeeping(dependent.type, dependentRecord);
    }

    const actor = this.context.requireActor();
    const deletedAt = this.clock.now();
    const purgeAt = new Date(deletedAt.getTime() + (await this.retentionDays(actor.userId)) * DAY_MS);
    const cascaded = cascade.map(({ type: t, id: i }) => ({ type: t, id: i }));
    const claimed = await this.items.put({
      _id: id,
      type,
      label: definition.label(record).slice(0, 300),
      deletedAt,
      deletedBy: actor.userId,
      purgeAt,
      cascaded,
      cascadedIds: cascaded.map((c) => c.id),
    });
    // another delete of the same record is writing its item right now: to this one the record is gone already
    if (!claimed) throw notFound(type);
    // Dependents first (deepest first), the record last: until it is deleted, the record still looks live.
    for (const dependent of [...cascaded].reverse())
      await this.trashable(dependent.type).trash.softDelete(dependent.id, deletedAt);
    await definition.trash.softDelete(id, deletedAt);
    await this.audit.record({
      action: AuditAction.RecordDeleted,
      targetType: type,
      targetId: id,
      metadata: {
        label: definition.label(record).slice(0, 300),
        cascaded: cascaded.map((c) => c.id),
        purgeAt: purgeAt.toISOString(),
      },
    });
    return buildUndoPayload({ id, type, deletedAt, expiresAt: purgeAt });
  }

  async list(filter: { type?: string }, page: PageRequest): Promise<Page<TrashItemView>> {
    const result = await this.items.list(filter, page);
    const names = new Map(
      (await this.users.findManyByIds([...new Set(result.items.map((i) => i.deletedBy))])).map((u) => [
        u._id,
        u.name,
      ]),
    );
    return {
      items: result.items.map((item) => ({
        id: item._id,
        type: item.type,
        label: item.label,
        deletedAt: item.deletedAt,
        deletedBy: { id: item.deletedBy, name: names.get(item.deletedBy) ?? null },
        expiresAt: item.purgeAt,
        cascaded: item.cascaded.map(({ type, id }) => ({ type, id })),
        undo: { method: 'POST' as const, href: `${TRASH_PATH}/${item._id}/restore` },
      })),
      nextCursor: result.nextCursor,
    };
  }

  /**
   * Brings back the record and exactly what went to the trash with it. Refused (409, nothing changed) when a unique
   * value was taken meanwhile, or when the record it belongs to is itself in the trash.
   */
  async restore(id: string): Promise<RestoreResult> {
    const item = await this.items.findById(id);
    if (!item) throw notFound('trash_item');
    const definition = this.trashable(item.type);
    const record = await definition.find(id, { withDeleted: true });
    if (!record) {
      await this.items.remove([id]); // the record is gone: a stale index entry
      throw notFound('trash_item');
    }
    const parent = definition.parentOf?.(record);
    if (parent && (await this.items.contains(parent.id))) {
      throw new TrashError('PARENT_IN_TRASH', undefined, { parentType: parent.type, parentId: parent.id });
    }
    const refs: RecordRef[] = [{ type: item.type, id }, ...item.cascaded];
    for (const ref of refs) {
      const target = this.trashable(ref.type);
      const current = ref.id === id ? record : await target.find(ref.id, { withDeleted: true });
      const conflict = current && current.isDeleted ? await target.trash.restoreConflict?.(current) : null;
      if (conflict) {
        throw new TrashError('RESTORE_NAME_TAKEN', undefined, { type: ref.type, id: ref.id, ...conflict });
      }
    }
    for (const ref of refs) {
      const target = this.trashable(ref.type);
      if ((await target.trash.restore(ref.id)) === TAKEN) {
        // A record took the unique value after the check above (two restores or a create at once). What was
        // restored before it stays live and the item stays in the trash: restore again once the name is free.
        const current = await target.find(ref.id, { withDeleted: true });
        const conflict = current ? await target.trash.restoreConflict?.(current) : null;
        throw new TrashError('RESTORE_NAME_TAKEN', undefined, { type: ref.type, id: ref.id, ...conflict });
      }
    }
    await this.items.remove([id]);
    await this.audit.record({
      action: AuditAction.RecordRestored,
      targetType: item.type,
      targetId: id,
      metadata: { cascaded: item.cascadedIds },
    });
    return { id, type: item.type, restored: refs.map((r) => r.id) };
  }

  /** Deletes one trash item's records for good, with their files. */
  async purge(id: string): Promise<PurgeResult> {
    const item = await this.items.findById(id);
    if (!item) throw notFound('trash_item');
    return this.purgeItem(item, 'manual');
  }

  /** Purges every item of the organization's trash; bookkeeping records (which should never be there) stay. */
  async empty(): Promise<{ purged: number; skipped: number }> {
    let purged = 0;
    let skipped = 0;
    let cursor: string | undefined;
    do {
      const page = await this.items.list({}, { cursor, limit: PURGE_BATCH });
      for (const listed of page.items) {
        const item = await this.items.findById(listed._id); // an earlier purge may have taken it along
        if (!item) continue;
        try {
          await this.purgeItem(item, 'empty');
          purged++;
        } catch (error) {
          if (!(error instanceof TrashError) || error.code !== 'BOOKKEEPING_RECORD_IMMUTABLE') throw error;
          skipped++;
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { purged, skipped };
  }

  /**
   * The retention job: purges every item whose `purgeAt` is not after `now`, each inside its own organization's
   * context. One failing item is logged and skipped (and tried again next run); the others go on.
   */
  async purgeDue(now: Date): Promise<{ purged: number; failed: number }> {
    let purged = 0;
    const failed = new Set<string>();
    for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
      const due = (await this.items.dueAcrossOrganizations(now, PURGE_BATCH + failed.size)).filter(
        (d) => !failed.has(d._id),
      );
      if (!due.length) break;
      for (const { _id, organizationId } of due) {
        try {
          // The job's own context (request id `job:…`) plus the item's organization; no actor: the system acts.
          const store = {
            requestId: this.context.requestId,
            tenant: { organizationId, orgRole: 'owner' as const },
          };
          await this.context.run(store, async () => {
            const item = await this.items.findById(_id);
            if (item) await this.purgeItem(item, 'retention');
          });
          purged++;
        } catch (error) {
          failed.add(_id);
          this.logger.error(
            { err: error, organizationId, id: _id },
            'Retention purge of a trash item failed',
          );
        }
      }
    }
    return { purged, failed: failed.size };
  }

  private async purgeItem(item: TrashItemDoc, reason: PurgeReason): Promise<PurgeResult> {
    const definition = this.trashable(item.type);
    const root: RecordRef = { type: item.type, id: item._id };
    const record = await definition.find(item._id, { withDeleted: true });
    if (record) await this.assertNotBookkeeping(item.type, record);
    // What went with it, plus dependents that were already in the trash on their own (they would be orphans).
    const extra = await this.registry.collectDependents(root, (d) => d.isDeleted);
    const targets: RecordRef[] = [];
    const seen = new Set<string>([item._id]);
    for (const ref of [...item.cascaded, ...extra]) {
      if (seen.has(ref.id)) continue;
      seen.add(ref.id);
      targets.push({ type: ref.type, id: ref.id });
    }
    for (const target of targets) {
      const found = await this.trashable(target.type).find(target.id, { withDeleted: true });
      if (found) await this.assertNotBookkeeping(target.type, found);
    }
    for (const target of [...targets].reverse()) await this.trashable(target.type).trash.purge(target.id);
    await definition.trash.purge(item._id);
    const purged = [item._id, ...targets.map((t) => t.id)];
    await this.items.remove(purged);
    await this.audit.record({
      action: AuditAction.RecordPurged,
      targetType: item.type,
      targetId: item._id,
      metadata: { reason, label: item.label, purged: purged.slice(1) },
    });
    return { id: item._id, type: item.type, purged };
  }

  private trashable(type: string): TrashableDefinition {
    const definition = this.registry.require(type);
    if (!definition.trash) throw new Error(`Record type "${type}" cannot go to the trash`);
    return definition as TrashableDefinition;
  }

  private async assertNotBookkeeping(type: string, record: TrashableRecord): Promise<void> {
    if (await this.registry.isBookkeeping(type, record)) {
      throw new TrashError('BOOKKEEPING_RECORD_IMMUTABLE', undefined, { type, id: record._id });
    }
  }

  private async retentionDays(userId: string): Promise<number> {
    const user = await this.users.findById(userId);
    return user?.preferences?.trash?.retentionDays ?? DEFAULT_PREFERENCES.trash.retentionDays;
  }
}
