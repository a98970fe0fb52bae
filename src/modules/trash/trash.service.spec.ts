import { Logger } from '@nestjs/common';
import type { RequestContext } from '../../common/context/request-context';
import { DomainError } from '../../common/errors/domain-error';
import { Clock } from '../../infrastructure/clock/clock';
import { TAKEN } from '../../infrastructure/mongo/unique';
import type { PageRequest } from '../../infrastructure/mongo/pagination';
import type { AuditRecordInput, AuditService } from '../audit/audit.service';
import type { UsersDirectory } from '../users/users.contract';
import { RecordRegistry } from './record-registry';
import type { RecordTypeDefinition, TrashableRecord } from './record-types';
import { TrashError } from './trash.errors';
import type { NewTrashItem, TrashRepository } from './trash.repository';
import type { TrashItemDoc } from './trash.schema';
import { TrashService } from './trash.service';

/**
 * The trash rules on a registered test type kept in memory: bookkeeping hook, cascade, restore conflicts, parent
 * checks, purge. (The e2e spec runs the same rules against FerretDB, Redis and the files on disk.)
 */

interface Note extends TrashableRecord {
  _id: string;
  name: string;
  isDeleted: boolean;
  parentId: string | null;
  bookkeeping?: boolean;
}

const ORG = 'A000001';
const DAY = 24 * 3600 * 1000;

function setup(options: { retentionDays?: number } = {}) {
  const notes = new Map<string, Note>();
  const purged: string[] = [];
  const registry = new RecordRegistry();
  const definition: RecordTypeDefinition<Note> = {
    type: 'note',
    find: (id, { withDeleted }) => {
      const note = notes.get(id);
      return Promise.resolve(note && (withDeleted || !note.isDeleted) ? { ...note } : null);
    },
    label: (note) => note.name,
    bookkeeping: (note) => note.bookkeeping === true,
    parentOf: (note) => (note.parentId ? { type: 'note', id: note.parentId } : null),
    trash: {
      softDelete: (id) =>
        Promise.resolve(notes.has(id) && Object.assign(notes.get(id) as Note, { isDeleted: true })),
      restore: (id) =>
        Promise.resolve(notes.has(id) && Object.assign(notes.get(id) as Note, { isDeleted: false })),
      restoreConflict: (note) => {
        const taken = [...notes.values()].some(
          (n) => n._id !== note._id && !n.isDeleted && n.name === note.name,
        );
        return Promise.resolve(taken ? { field: 'name', value: note.name } : null);
      },
      purge: (id) => {
        if (notes.get(id)?.isDeleted) {
          notes.delete(id);
          purged.push(id);
        }
        return Promise.resolve();
      },
    },
  };
  registry.register(definition);
  registry.registerDependents('notes', (parent) =>
    Promise.resolve(
      [...notes.values()]
        .filter((n) => n.parentId === parent.id)
        .map((n) => ({ type: 'note', id: n._id, isDeleted: n.isDeleted })),
    ),
  );

  const items = new Map<string, TrashItemDoc>();
  const repository = {
    put: (item: NewTrashItem) => {
      items.set(item._id, {
        ...item,
        organizationId: ORG,
        createdAt: item.deletedAt,
        updatedAt: item.deletedAt,
      });
      return Promise.resolve(true);
    },
    findById: (id: string) => Promise.resolve(items.get(id) ?? null),
    list: (filter: { type?: string }, page: PageRequest) => {
      const all = [...items.values()]
        .filter((i) => !filter.type || i.type === filter.type)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      return Promise.resolve({ items: all.slice(0, page.limit), nextCursor: null });
    },
    contains: (id: string) =>
      Promise.resolve([...items.values()].some((i) => i._id === id || i.cascadedIds.includes(id))),
    remove: (ids: string[]) => {
      ids.forEach((id) => items.delete(id));
      return Promise.resolve();
    },
    dueAcrossOrganizations: (now: Date) =>
      Promise.resolve(
        [...items.values()]
          .filter((i) => i.purgeAt <= now)
          .map(({ _id, organizationId }) => ({ _id, organizationId })),
      ),
  };
  const audits: AuditRecordInput[] = [];
  const audit = { record: (input: AuditRecordInput) => Promise.resolve(audits.push(input)) };
  const users = {
    findById: () =>
      Promise.resolve({ preferences: { trash: { retentionDays: options.retentionDays ?? 30 } } }),
    findManyByIds: () => Promise.resolve([{ _id: 'A000002', name: 'Anna' }]),
  };
  const context = {
    requireActor: () => ({ userId: 'A000002', platformRole: 'user' }),
    run: <T>(_store: unknown, fn: () => Promise<T>) => fn(),
  };
  const clock = new Clock();
  const service = new TrashService(
    registry,
    repository as unknown as TrashRepository,
    users as unknown as UsersDirectory,
    audit as unknown as AuditService,
    clock,
    context as unknown as RequestContext,
  );
  const add = (id: string, name: string, extra: Partial<Note> = {}) =>
    notes.set(id, { _id: id, name, isDeleted: false, parentId: null, ...extra });
  return { service, registry, definition, repository, notes, items, purged, audits, clock, add };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error instanceof DomainError ? error.code : error;
  }
  return 'no error';
};

describe('TrashService with a registered test type', () => {
  beforeAll(() => Logger.overrideLogger(false)); // the retention purge logs the refused item
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('deletes with cascade, answers the undo payload, and expires after the deleter’s retention', async () => {
    const { service, notes, items, add, clock, audits } = setup({ retentionDays: 7 });
    add('A000010', 'Parent');
    add('A000011', 'Child', { parentId: 'A000010' });
    add('A000012', 'Grandchild', { parentId: 'A000011' });
    clock.travelTo(new Date('2026-03-01T10:00:00Z'));
    const undo = await service.delete('note', 'A000010');
    expect(undo).toMatchObject({
      id: 'A000010',
      type: 'note',
      undo: { method: 'POST', href: '/api/v1/trash/A000010/restore' },
    });
    expect(Date.parse(undo.expiresAt) - Date.parse(undo.deletedAt)).toBe(7 * DAY);
    expect([...notes.values()].every((n) => n.isDeleted)).toBe(true);
    expect(items.get('A000010')?.cascadedIds).toEqual(['A000011', 'A000012']);
    expect(items.size).toBe(1);
    expect(audits).toEqual([
      expect.objectContaining({ action: 'record.deleted', targetType: 'note', targetId: 'A000010' }),
    ]);
    expect(await codeOf(service.delete('note', 'A000010'))).toBe('NOT_FOUND');
    expect(await codeOf(service.delete('note', 'A000099'))).toBe('NOT_FOUND');
  });

  describe('the bookkeeping hook (BFL 7 kap)', () => {
    it('refuses to delete a bookkeeping record, or anything that would take one along', async () => {
      const { service, notes, items, add } = setup();
      add('A000020', 'Verifikation 1', { bookkeeping: true });
      expect(await codeOf(service.delete('note', 'A000020'))).toBe('BOOKKEEPING_RECORD_IMMUTABLE');
      add('A000021', 'Folder');
      add('A000022', 'Verifikation 2', { bookkeeping: true, parentId: 'A000021' });
      expect(await codeOf(service.delete('note', 'A000021'))).toBe('BOOKKEEPING_RECORD_IMMUTABLE');
      expect([...notes.values()].some((n) => n.isDeleted)).toBe(false);
      expect(items.size).toBe(0);
    });

    it('refuses to purge one (by hand or by retention), and emptying skips it', async () => {
      const { service, notes, items, add, purged } = setup();
      add('A000030', 'Verifikation 3');
      await service.delete('note', 'A000030');
      (notes.get('A000030') as Note).bookkeeping = true; // became bookkeeping while in the trash
      expect(await codeOf(service.purge('A000030'))).toBe('BOOKKEEPING_RECORD_IMMUTABLE');
      await expect(service.empty()).resolves.toEqual({ purged: 0, skipped: 1 });
      await expect(service.purgeDue(new Date(Date.now() + 365 * DAY))).resolves.toEqual({
        purged: 0,
        failed: 1,
      });
      expect(purged).toEqual([]);
      expect(items.has('A000030')).toBe(true);
    });

    it('a whole type or a single record can be bookkeeping, also seen through a record that belongs to it', async () => {
      const registry = new RecordRegistry();
      const records: Record<string, { _id: string; booked?: boolean }> = {
        A000001: { _id: 'A000001' },
        A000002: { _id: 'A000002', booked: true },
        A000003: { _id: 'A000003' },
      };
      const find = (id: string) => Promise.resolve(records[id] ?? null);
      registry.register({ type: 'verifikation', bookkeeping: true, find, label: () => '' });
      registry.register({ type: 'contract', find, label: () => '' });
      registry.register<{ _id: string; booked?: boolean }>({
        type: 'transaction',
        bookkeeping: (t) => Promise.resolve(t.booked === true),
        find,
        label: () => '',
      });
      expect(registry.isBookkeepingType('verifikation')).toBe(true);
      expect(registry.isBookkeepingType('transaction')).toBe(false);
      await expect(registry.isBookkeeping('verifikation', { _id: 'A000001' })).resolves.toBe(true);
      await expect(registry.isBookkeeping('contract', { _id: 'A000001' })).resolves.toBe(false);
      await expect(registry.isBookkeepingRecord({ type: 'transaction', id: 'A000002' })).resolves.toBe(true);
      await expect(registry.isBookkeepingRecord({ type: 'transaction', id: 'A000003' })).resolves.toBe(false);
      await expect(registry.isBookkeepingRecord({ type: 'verifikation', id: 'A000404' })).resolves.toBe(true);
      await expect(registry.isBookkeepingRecord({ type: 'contract', id: 'A000001' })).resolves.toBe(false);
      await expect(registry.isBookkeepingRecord({ type: 'unknown', id: 'A000001' })).resolves.toBe(false);
    });
  });

  it('restores exactly what went with it; a dependent deleted on its own stays, and waits for its parent', async () => {
    const { service, notes, add } = setup();
    add('A000040', 'Parent');
    add('A000041', 'With it', { parentId: 'A000040' });
    add('A000042', 'On its own', { parentId: 'A000040' });
    await service.delete('note', 'A000042');
    await service.delete('note', 'A000040');
    expect(await codeOf(service.restore('A000042'))).toBe('PARENT_IN_TRASH');
    await expect(service.restore('A000040')).resolves.toEqual({
      id: 'A000040',
      type: 'note',
      restored: ['A000040', 'A000041'],
    });
    expect(notes.get('A000041')?.isDeleted).toBe(false);
    expect(notes.get('A000042')?.isDeleted).toBe(true);
    await service.restore('A000042');
    expect(notes.get('A000042')?.isDeleted).toBe(false);
  });

  it('refuses a restore into a unique value now taken (409 RESTORE_NAME_TAKEN) and changes nothing', async () => {
    const { service, notes, items, add } = setup();
    add('A000050', 'Budget');
    add('A000051', 'Budget child', { parentId: 'A000050' });
    await service.delete('note', 'A000050');
    add('A000052', 'Budget child'); // takes the dependent's name
    const error = await service.restore('A000050').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrashError);
    expect(error).toMatchObject({
      code: 'RESTORE_NAME_TAKEN',
      status: 409,
      details: { id: 'A000051', field: 'name', value: 'Budget child' },
    });
    expect(notes.get('A000050')?.isDeleted).toBe(true);
    expect(items.has('A000050')).toBe(true);
  });

  it('a restore that loses a race past the check to the unique index answers 409 RESTORE_NAME_TAKEN', async () => {
    const { service, definition, items, add } = setup();
    add('A000060', 'Resa');
    await service.delete('note', 'A000060');
    const hooks = definition.trash;
    if (!hooks) throw new Error('the test type has trash hooks');
    hooks.restore = () => {
      add('A000061', 'Resa'); // restored or created at the same moment, after the conflict check
      return Promise.reject(Object.assign(new Error('E11000 duplicate key error'), { code: 11000 }));
    };
    const error = await service.restore('A000060').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'RESTORE_NAME_TAKEN',
      status: 409,
      details: { type: 'note', id: 'A000060', field: 'name', value: 'Resa' },
    });
    expect(items.has('A000060')).toBe(true);
  });

  it('a restore hook that answers TAKEN (its repository translated the unique index) → 409 RESTORE_NAME_TAKEN', async () => {
    const { service, definition, notes, items, add } = setup();
    add('A000065', 'Semester');
    await service.delete('note', 'A000065');
    const hooks = definition.trash;
    if (!hooks) throw new Error('the test type has trash hooks');
    hooks.restore = () => {
      add('A000066', 'Semester');
      return Promise.resolve(TAKEN);
    };
    const error = await service.restore('A000065').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'RESTORE_NAME_TAKEN',
      status: 409,
      details: { type: 'note', id: 'A000065', field: 'name', value: 'Semester' },
    });
    expect(notes.get('A000065')?.isDeleted).toBe(true);
    expect(items.has('A000065')).toBe(true);
    // Any other failure of a hook is not a name conflict: it is thrown as it is.
    notes.delete('A000066');
    hooks.restore = () => Promise.reject(new Error('disk on fire'));
    await expect(service.restore('A000065')).rejects.toThrow('disk on fire');
  });

  it('a delete that loses the race for the trash item to another delete of the record answers 404', async () => {
    const { service, repository, notes, add } = setup();
    add('A000070', 'Kvitto');
    repository.put = () => Promise.resolve(false);
    expect(await codeOf(service.delete('note', 'A000070'))).toBe('NOT_FOUND');
    expect(notes.get('A000070')?.isDeleted).toBe(false); // left to the delete that won
  });

  it('purges the record, what went with it and its dependents already in the trash', async () => {
    const { service, notes, items, add, purged, audits } = setup();
    add('A000060', 'Parent');
    add('A000061', 'With it', { parentId: 'A000060' });
    add('A000062', 'Before it', { parentId: 'A000060' });
    await service.delete('note', 'A000062');
    await service.delete('note', 'A000060');
    await expect(service.purge('A000060')).resolves.toEqual({
      id: 'A000060',
      type: 'note',
      purged: ['A000060', 'A000061', 'A000062'],
    });
    expect(purged.sort()).toEqual(['A000060', 'A000061', 'A000062']);
    expect(notes.size).toBe(0);
    expect(items.size).toBe(0);
    expect(audits.at(-1)).toMatchObject({ action: 'record.purged', metadata: { reason: 'manual' } });
  });

  it('never purges a live record through a stale trash item', async () => {
    const { service, notes, items, add } = setup();
    add('A000070', 'Live');
    await service.delete('note', 'A000070');
    (notes.get('A000070') as Note).isDeleted = false; // as if the soft delete had never happened
    await service.purge('A000070');
    expect(notes.get('A000070')).toMatchObject({ isDeleted: false });
    expect(items.size).toBe(0);
  });

  it('the retention purge takes only what is due', async () => {
    const { service, add, clock, items } = setup({ retentionDays: 2 });
    add('A000080', 'Old');
    clock.travelTo(new Date('2026-01-01T00:00:00Z'));
    await service.delete('note', 'A000080');
    add('A000081', 'New');
    clock.travelTo(new Date('2026-01-02T00:00:00Z'));
    await service.delete('note', 'A000081');
    await expect(service.purgeDue(new Date('2026-01-03T12:00:00Z'))).resolves.toEqual({
      purged: 1,
      failed: 0,
    });
    expect([...items.keys()]).toEqual(['A000081']);
  });
});

describe('RecordRegistry', () => {
  it('refuses bad and duplicate type names and unknown types', () => {
    const registry = new RecordRegistry();
    const type = { type: 'invoice', find: () => Promise.resolve(null), label: () => '' };
    registry.register(type);
    expect(() => registry.register(type)).toThrow(/twice/);
    expect(() => registry.register({ ...type, type: 'Bad Name' })).toThrow(/not valid/);
    expect(() => registry.require('nope')).toThrow(/not registered/);
    expect(registry.typeNames()).toEqual(['invoice']);
  });

  it('resolves an owner among the types that can own files', async () => {
    const registry = new RecordRegistry();
    registry.register({
      type: 'secret',
      canOwnFiles: false,
      find: () => Promise.resolve({ _id: 'A000001' }),
      label: () => '',
    });
    registry.register({
      type: 'contract',
      find: (id) => Promise.resolve(id === 'A000001' ? { _id: id } : null),
      label: () => '',
    });
    await expect(registry.resolveOwner('A000001')).resolves.toMatchObject({
      type: 'contract',
      id: 'A000001',
    });
    await expect(registry.resolveOwner('A000002')).resolves.toBeNull();
  });

  it('collects dependents at any depth, cutting cycles', async () => {
    const registry = new RecordRegistry();
    const edges: Record<string, string[]> = { A1: ['A2', 'A3'], A2: ['A4'], A4: ['A1'] };
    registry.registerDependents('test', (parent) =>
      Promise.resolve((edges[parent.id] ?? []).map((id) => ({ type: 't', id, isDeleted: id === 'A3' }))),
    );
    expect((await registry.collectDependents({ type: 't', id: 'A1' }, () => true)).map((d) => d.id)).toEqual([
      'A2',
      'A3',
      'A4',
    ]);
    expect(
      (await registry.collectDependents({ type: 't', id: 'A1' }, (d) => !d.isDeleted)).map((d) => d.id),
    ).toEqual(['A2', 'A4']);
  });
});
