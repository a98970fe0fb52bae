import { randomBytes } from 'node:crypto';
import { Schema, type Model } from 'mongoose';
import {
  MissingTenantContextError,
  RequestContext,
  type RequestStore,
} from '../src/common/context/request-context';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  UnscopedTenantQueryError,
  type SoftDeleteFields,
} from '../src/infrastructure/mongo/plugins';
import { SoftDeleteTenantRepository, type BaseDoc } from '../src/infrastructure/mongo/repositories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Tenancy fails closed, shown on the real database with a throwaway tenant collection: the schema plugin refuses a
 * query without `organizationId`, and the tenant repositories refuse to run without a tenant in the request context and
 * otherwise confines every read and write to the context's organization.
 */

type ProbeDoc = BaseDoc & SoftDeleteFields & { organizationId: string; name: string };

class ProbeRepository extends SoftDeleteTenantRepository<ProbeDoc> {
  constructor(model: Model<ProbeDoc>, context: RequestContext) {
    super(model, context);
  }
}

const ORG_A = 'A1';
const ORG_B = 'B1';
const ORG_PAGING = 'C1';
const actor = { userId: 'U1', platformRole: 'user' } as const;
/** What a caller hands `create` (the organization comes from the context, the soft-delete fields from defaults). */
const probe = (_id: string, name: string, extra: Record<string, unknown> = {}) =>
  ({ _id, name, ...extra }) as unknown as Omit<ProbeDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;
const tenantOf = (organizationId: string): Partial<RequestStore> => ({
  tenant: { organizationId, orgRole: 'owner' },
  actor,
});

/** Resolves to the error, whether the call throws synchronously or returns a rejected promise. */
async function errorOf(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('tenancy fails closed', () => {
  let t: TestApp;
  let model: Model<ProbeDoc>;
  let repo: ProbeRepository;
  let context: RequestContext;
  let ids: GlobalIdService;
  let collectionName: string;

  const inOrg = <R>(organizationId: string, fn: () => Promise<R>): Promise<R> =>
    context.run(tenantOf(organizationId), fn);
  /** Straight through the driver, past every Mongoose hook: what is really stored. */
  const stored = (filter: Record<string, unknown> = {}) =>
    t.db.collection(collectionName).find(filter).toArray();

  beforeAll(async () => {
    t = await startTestApp();
    context = t.app.get(RequestContext);
    ids = t.app.get(GlobalIdService);
    collectionName = `tenancy_probe_${randomBytes(4).toString('hex')}`;
    const schema = new Schema(
      { _id: String, organizationId: String, name: String, createdAt: Date, updatedAt: Date },
      { timestamps: true, versionKey: false, collection: collectionName },
    );
    schema.plugin(tenantScopedPlugin);
    schema.plugin(softDeletePlugin);
    model = t.db.model<ProbeDoc>(`TenancyProbe_${collectionName}`, schema);
    repo = new ProbeRepository(model, context);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('(1) a raw model query without organizationId is refused', () => {
    beforeAll(async () => {
      // Two records per organization, written through the repository (the only legitimate way in).
      for (const org of [ORG_A, ORG_B]) {
        await inOrg(org, async () => {
          await repo.create(probe(await ids.getNextGlobalId(), `raw-${org}-1`));
          await repo.create(probe(await ids.getNextGlobalId(), `raw-${org}-2`));
        });
      }
      expect(await stored()).toHaveLength(4);
    });

    const unscoped: Array<[string, () => Promise<unknown>]> = [
      ['find', () => model.find({}).exec()],
      ['find by name', () => model.find({ name: 'raw-A1-1' }).exec()],
      ['findOne', () => model.findOne({ name: 'raw-A1-1' }).exec()],
      ['findOne by _id', () => model.findOne({ _id: 'anything' }).exec()],
      ['countDocuments', () => model.countDocuments({}).exec()],
      ['updateMany', () => model.updateMany({}, { $set: { name: 'hijacked' } }).exec()],
      ['updateOne', () => model.updateOne({ name: 'raw-A1-1' }, { $set: { name: 'hijacked' } }).exec()],
      [
        'findOneAndUpdate',
        () => model.findOneAndUpdate({ name: 'raw-A1-1' }, { $set: { name: 'hijacked' } }).exec(),
      ],
      ['deleteMany', () => model.deleteMany({}).exec()],
      ['deleteOne', () => model.deleteOne({ name: 'raw-B1-1' }).exec()],
      [
        'aggregate without $match',
        () => model.aggregate([{ $group: { _id: '$organizationId', n: { $sum: 1 } } }]).exec(),
      ],
      ['aggregate with an unscoped $match', () => model.aggregate([{ $match: { name: 'raw-A1-1' } }]).exec()],
      [
        'aggregate whose organizationId $match is not first',
        () => model.aggregate([{ $sort: { name: 1 } }, { $match: { organizationId: ORG_A } }]).exec(),
      ],
      // An organizationId that is not one plain string would still reach other organizations' data.
      ['find with organizationId: {$ne}', () => model.find({ organizationId: { $ne: ORG_A } }).exec()],
      [
        'find with organizationId: {$in}',
        () => model.find({ organizationId: { $in: [ORG_A, ORG_B] } }).exec(),
      ],
      ['find with organizationId: ""', () => model.find({ organizationId: '' }).exec()],
      [
        'find with $or on organizationId',
        () => model.find({ $or: [{ organizationId: ORG_A }, { organizationId: ORG_B }] }).exec(),
      ],
    ];

    it.each(unscoped)('%s rejects with UnscopedTenantQueryError', async (_label, run) => {
      const error = await errorOf(run);
      expect(error).toBeInstanceOf(UnscopedTenantQueryError);
      expect((error as Error).message).toMatch(/without organizationId/);
    });

    it('…and none of them changed anything', async () => {
      const rows = await stored();
      expect(rows.map((r) => r.name).sort()).toEqual(['raw-A1-1', 'raw-A1-2', 'raw-B1-1', 'raw-B1-2']);
    });

    it('the same queries scoped to one organization run and see only it', async () => {
      const found = await model.find({ organizationId: ORG_A }).lean().exec();
      expect(found.map((r) => r.name).sort()).toEqual(['raw-A1-1', 'raw-A1-2']);
      expect(await model.countDocuments({ organizationId: ORG_B }).exec()).toBe(2);
      const grouped = await model
        .aggregate<{ _id: string; n: number }>([
          { $match: { organizationId: ORG_B } },
          { $group: { _id: '$organizationId', n: { $sum: 1 } } },
        ])
        .exec();
      expect(grouped).toEqual([{ _id: ORG_B, n: 2 }]);
    });

    it('a document without organizationId cannot be stored', async () => {
      const error = await errorOf(() => model.create({ _id: 'X1', name: 'orphan' }));
      expect((error as Error | undefined)?.name).toBe('ValidationError');
      expect(await stored({ _id: 'X1' })).toEqual([]);
    });
  });

  describe('(2) the repository outside any tenant context throws MissingTenantContextError', () => {
    const calls: Array<[string, () => unknown]> = [
      ['findById', () => repo.findById('A000001')],
      ['find', () => repo.find({})],
      ['page', () => repo.page({}, { limit: 10 })],
      ['count', () => repo.count()],
      ['create', () => repo.create(probe('NOCTX1', 'no context'))],
      ['updateById', () => repo.updateById('A000001', { $set: { name: 'x' } })],
      ['softDeleteById', () => repo.softDeleteById('A000001', new Date())],
      ['restoreById', () => repo.restoreById('A000001')],
    ];

    it.each(calls)('%s outside any context', async (_label, call) => {
      expect(await errorOf(call)).toBeInstanceOf(MissingTenantContextError);
    });

    it.each(calls)('%s in a context with a user but no organization', async (_label, call) => {
      const error = await context.run({ actor }, () => errorOf(call));
      expect(error).toBeInstanceOf(MissingTenantContextError);
    });

    it('nothing was written', async () => {
      expect(await stored({ _id: 'NOCTX1' })).toEqual([]);
    });
  });

  describe('(3) inside a tenant context the repository sees its own organization only', () => {
    let idA: string;
    let idB: string;

    it('creates records in the organization of the context, whatever the caller passes', async () => {
      idA = await ids.getNextGlobalId();
      idB = await ids.getNextGlobalId();
      const a = await inOrg(ORG_A, () => repo.create(probe(idA, 'only-A')));
      // A caller trying to write into another organization is overridden by the context.
      const b = await inOrg(ORG_B, () => repo.create(probe(idB, 'only-B', { organizationId: ORG_A })));
      expect(a).toMatchObject({ _id: idA, organizationId: ORG_A, name: 'only-A', isDeleted: false });
      expect(b).toMatchObject({ _id: idB, organizationId: ORG_B, name: 'only-B' });
      expect(
        (await stored({ _id: { $in: [idA, idB] } })).map((r) => [r._id, r.organizationId]).sort(),
      ).toEqual([
        [idA, ORG_A],
        [idB, ORG_B],
      ]);
    });

    it('reads only org A records under org A', async () => {
      const rows = await inOrg(ORG_A, () => repo.find({}));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.organizationId).toBe(ORG_A);
      expect(rows.map((r) => r._id)).toContain(idA);
      expect(rows.map((r) => r._id)).not.toContain(idB);
      // a filter naming another organization is overridden too
      const sneaky = await inOrg(ORG_A, () => repo.find({ organizationId: ORG_B }));
      expect(sneaky.map((r) => r._id)).not.toContain(idB);
      for (const row of sneaky) expect(row.organizationId).toBe(ORG_A);

      const one = await inOrg(ORG_A, () => repo.findById(idA));
      expect(one).toMatchObject({ _id: idA, name: 'only-A', organizationId: ORG_A });
      expect(await inOrg(ORG_A, () => repo.count())).toBe(3); // raw-A1-1, raw-A1-2, only-A
    });

    it("the same id read under org B's context is null", async () => {
      expect(await inOrg(ORG_B, () => repo.findById(idA))).toBeNull();
      expect(await inOrg(ORG_A, () => repo.findById(idB))).toBeNull();
      expect(await inOrg(ORG_B, () => repo.find({ _id: idA }))).toEqual([]);
      expect(await inOrg(ORG_B, () => repo.count({ _id: idA }))).toBe(0);
    });

    it("org B cannot update, delete or restore org A's record", async () => {
      expect(await inOrg(ORG_B, () => repo.updateById(idA, { $set: { name: 'taken by B' } }))).toBeNull();
      expect(await inOrg(ORG_B, () => repo.softDeleteById(idA, new Date()))).toBeNull();
      expect(await inOrg(ORG_B, () => repo.restoreById(idA))).toBeNull();
      const [row] = await stored({ _id: idA });
      expect(row).toMatchObject({ name: 'only-A', organizationId: ORG_A, isDeleted: false });
    });

    it('org A updates its own record and gets before/after', async () => {
      const result = await inOrg(ORG_A, () => repo.updateById(idA, { $set: { name: 'only-A renamed' } }));
      expect(result?.before).toMatchObject({ _id: idA, name: 'only-A' });
      expect(result?.after).toMatchObject({ _id: idA, name: 'only-A renamed', organizationId: ORG_A });
    });
  });

  describe('(4) soft delete through the repository', () => {
    let id: string;

    beforeAll(async () => {
      id = await ids.getNextGlobalId();
      await inOrg(ORG_A, () => repo.create(probe(id, 'to be trashed')));
    });

    it('hides the record from find, findById and count, but keeps it stored', async () => {
      const countBefore = await inOrg(ORG_A, () => repo.count());
      const deleted = await inOrg(ORG_A, () => repo.softDeleteById(id, new Date()));
      expect(deleted).toMatchObject({ _id: id, isDeleted: true, deletedBy: actor.userId });
      expect(deleted?.deletedAt).toBeInstanceOf(Date);

      expect(await inOrg(ORG_A, () => repo.findById(id))).toBeNull();
      expect((await inOrg(ORG_A, () => repo.find({}))).map((r) => r._id)).not.toContain(id);
      expect(await inOrg(ORG_A, () => repo.find({ name: 'to be trashed' }))).toEqual([]);
      expect(await inOrg(ORG_A, () => repo.count())).toBe(countBefore - 1);
      expect((await inOrg(ORG_A, () => repo.page({}, { limit: 100 }))).items.map((r) => r._id)).not.toContain(
        id,
      );
      // deleting it again finds nothing
      expect(await inOrg(ORG_A, () => repo.softDeleteById(id, new Date()))).toBeNull();

      const [row] = await stored({ _id: id });
      expect(row).toMatchObject({ _id: id, organizationId: ORG_A, isDeleted: true, deletedBy: actor.userId });
    });

    it('is still visible when asked for with withDeleted, in its own organization only', async () => {
      expect(await inOrg(ORG_A, () => repo.findById(id, { withDeleted: true }))).toMatchObject({
        _id: id,
        isDeleted: true,
      });
      expect((await inOrg(ORG_A, () => repo.find({}, { withDeleted: true }))).map((r) => r._id)).toContain(
        id,
      );
      expect(await inOrg(ORG_B, () => repo.findById(id, { withDeleted: true }))).toBeNull();
    });

    it('restore brings it back', async () => {
      const restored = await inOrg(ORG_A, () => repo.restoreById(id));
      expect(restored).toMatchObject({ _id: id, isDeleted: false, deletedAt: null, deletedBy: null });
      expect(await inOrg(ORG_A, () => repo.findById(id))).toMatchObject({ _id: id, name: 'to be trashed' });
      expect((await inOrg(ORG_A, () => repo.find({}))).map((r) => r._id)).toContain(id);
      // restoring a live record finds nothing to restore
      expect(await inOrg(ORG_A, () => repo.restoreById(id))).toBeNull();
    });
  });

  describe('(5) cursor pagination with page()', () => {
    const created: string[] = [];

    beforeAll(async () => {
      const reserved = await ids.reserveGlobalIds(5);
      for (const [i, id] of reserved.entries()) {
        await inOrg(ORG_PAGING, () => repo.create(probe(id, `page-${i}`)));
        created.push(id);
        await new Promise((r) => setTimeout(r, 5)); // distinct createdAt
      }
      // noise that must not show up: another organization, and a deleted record of this one
      await inOrg(ORG_B, async () => repo.create(probe(await ids.getNextGlobalId(), 'page-other-org')));
      const trashed = await ids.getNextGlobalId();
      await inOrg(ORG_PAGING, () => repo.create(probe(trashed, 'page-trashed')));
      await inOrg(ORG_PAGING, () => repo.softDeleteById(trashed, new Date()));
    });

    it('returns the newest first and walks every record exactly once', async () => {
      const walked: ProbeDoc[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await inOrg(ORG_PAGING, () => repo.page({}, { limit: 2, cursor }));
        expect(page.items.length).toBeLessThanOrEqual(2);
        walked.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        pages++;
        expect(pages).toBeLessThanOrEqual(5);
      } while (cursor);
      expect(pages).toBe(3);
      expect(walked.map((r) => r._id)).toEqual([...created].reverse());
      expect(walked.map((r) => r.name)).toEqual(['page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
      const times = walked.map((r) => r.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const row of walked) expect(row.organizationId).toBe(ORG_PAGING);
    });

    it('a full page has no next cursor; a filter applies across pages', async () => {
      const all = await inOrg(ORG_PAGING, () => repo.page({}, { limit: 5 }));
      expect(all.items).toHaveLength(5);
      expect(all.nextCursor).toBeNull();

      const first = await inOrg(ORG_PAGING, () =>
        repo.page({ name: { $in: ['page-0', 'page-2', 'page-4'] } }, { limit: 2 }),
      );
      expect(first.items.map((r) => r.name)).toEqual(['page-4', 'page-2']);
      const second = await inOrg(ORG_PAGING, () =>
        repo.page(
          { name: { $in: ['page-0', 'page-2', 'page-4'] } },
          { limit: 2, cursor: first.nextCursor ?? undefined },
        ),
      );
      expect(second.items.map((r) => r.name)).toEqual(['page-0']);
      expect(second.nextCursor).toBeNull();
    });

    it("a cursor from one organization's pages reveals nothing of another's", async () => {
      const first = await inOrg(ORG_PAGING, () => repo.page({}, { limit: 2 }));
      const elsewhere = await inOrg(ORG_B, () =>
        repo.page({}, { limit: 100, cursor: first.nextCursor ?? undefined }),
      );
      for (const row of elsewhere.items) expect(row.organizationId).toBe(ORG_B);
    });
  });
});
