import { randomBytes } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import {
  bulkStatementsInFlight,
  bulkWrite,
  DEFAULT_STATEMENTS_IN_FLIGHT,
  deleteByIds,
  duplicatesOnly,
  insertMany,
} from '../src/infrastructure/mongo/bulk-writes';
import { testMongoUri } from './helpers/test-app';

interface Row {
  _id: string;
  org: string;
  key: string;
  n: number;
}

// The real server of `npm test` (FerretDB by default). Nothing here may hang it: the point is that the helper keeps
// update statements in flight under FerretDB's pool however the callers pile up.
describe('bulk writes (infrastructure/mongo/bulk-writes.ts) on the real server', () => {
  let connection: Connection;
  let rows: Model<Row>;
  let counters: Model<Row>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(testMongoUri(`wwt_bulk_${randomBytes(4).toString('hex')}`))
      .asPromise();
    rows = connection.model<Row>(
      'BulkRow',
      new Schema<Row>({ _id: String, org: String, key: String, n: Number }, { versionKey: false }).index(
        { org: 1, key: 1 },
        { unique: true },
      ),
    );
    await rows.init();
    // Its own small collection: FerretDB scans the collection for every update statement.
    counters = connection.model<Row>('BulkCounter', rows.schema.clone());
    await counters.init();
  });

  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  const doc = (i: number, org = 'o1'): Row => ({ _id: `${org}-${i}`, org, key: `k${i}`, n: 0 });

  it('unordered insertMany reports duplicates at the caller positions across chunks', async () => {
    await insertMany(rows, [doc(5), doc(1500), doc(2400)], { ordered: false });
    const docs = Array.from({ length: 2500 }, (_, i) => doc(i));
    const outcome = await insertMany(rows, docs, { ordered: false });
    expect(duplicatesOnly(outcome)).toEqual([5, 1500, 2400]);
    expect(outcome.inserted).toBe(2497);
    expect(await rows.countDocuments({ org: 'o1' })).toBe(2500);
  });

  it('ordered insertMany stops at the first duplicate', async () => {
    const docs = [doc(0, 'o2'), doc(1, 'o2'), doc(1, 'o2'), doc(3, 'o2')];
    docs[2] = { ...docs[2], _id: 'o2-other' }; // same unique key, other _id
    const outcome = await insertMany(rows, docs, { ordered: true });
    expect(outcome.inserted).toBe(2);
    expect(outcome.failures.map((f) => [f.index, f.code])).toEqual([[2, 11000]]);
    expect(await rows.countDocuments({ org: 'o2' })).toBe(2);
  });

  it('three concurrent bulkWrites of 120 updates (FerretDB: 120 in one command hang it) all complete', async () => {
    await insertMany(
      counters,
      Array.from({ length: 360 }, (_, i) => doc(i)),
      { ordered: true },
    );
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, bulkStatementsInFlight())), 1);
    const update = (from: number) =>
      bulkWrite(
        counters,
        Array.from({ length: 120 }, (_, i) => ({
          updateOne: { filter: { org: 'o1', key: `k${from + i}` }, update: { $set: { n: from + i } } },
        })),
        { ordered: false },
      );
    const outcomes = await Promise.all([update(0), update(120), update(240)]);
    clearInterval(watch);
    expect(outcomes.map((o) => [o.matched, o.failures.length])).toEqual([
      [120, 0],
      [120, 0],
      [120, 0],
    ]);
    expect(peak).toBeLessThanOrEqual(DEFAULT_STATEMENTS_IN_FLIGHT);
    expect(await counters.countDocuments({ n: { $gte: 1 } })).toBe(359); // k0 was set to 0
    // and the server still answers
    await expect(connection.db!.admin().ping()).resolves.toBeTruthy();
  });

  it('an ordered bulkWrite stops after the failing statement; unordered goes on', async () => {
    const ops = (org: string) => [
      { insertOne: { document: doc(0, org) } },
      { insertOne: { document: doc(0, org) } }, // duplicate _id
      { insertOne: { document: doc(2, org) } },
    ];
    const ordered = await bulkWrite(rows, ops('o3'), { ordered: true });
    expect(ordered.failures.map((f) => f.index)).toEqual([1]);
    expect(await rows.countDocuments({ org: 'o3' })).toBe(1);
    const unordered = await bulkWrite(rows, ops('o4'), { ordered: false });
    expect(unordered.failures.map((f) => f.index)).toEqual([1]);
    expect(await rows.countDocuments({ org: 'o4' })).toBe(2);
  });

  it('deleteByIds deletes only what also matches the filter, in chunks', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `o1-${i}`);
    await bulkWrite(
      rows,
      [{ updateMany: { filter: { org: 'o1', key: { $in: ['k0', 'k1'] } }, update: { $set: { n: 1 } } } }],
      { ordered: true },
    );
    const deleted = await deleteByIds(rows, { org: 'o1', n: 0 }, [...ids, 'o2-0']);
    expect(deleted).toBe(1198);
    expect(await rows.countDocuments({ org: 'o1' })).toBe(1302);
    expect(await rows.countDocuments({ org: 'o2' })).toBe(2);
  });
});
