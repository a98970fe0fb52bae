import { bumpGenerations } from '../cache/generations';
import type { AnyBulkWriteOperation, FilterQuery, Model } from 'mongoose';
import { isDuplicateKey } from './unique';
import { Permits } from './permits';
import { isFerretDb } from './server-kind';

/**
 * The one way to write many documents (`bulkWrite`, `insertMany`, deletes by a list of ids). No other file calls
 * `bulkWrite(` or `insertMany(` (bulk-writes.guard.spec.ts fails if one does).
 *
 * Why: FerretDB 1.24 keeps one backend connection open for every statement of an `update` command until the whole
 * command ends, and its per-database pool (100 on SQLite, 50 on PostgreSQL) is shared by every command in flight.
 * One command of 120 updates, or three concurrent commands of 20 on PostgreSQL, take more than the pool and the
 * database stops answering for good (MONGO-COMPAT.md item 12; measured: docs/ferretdb.md). So on FerretDB
 * update, replace and delete statements go out in commands of at most `FERRET_CHUNK` statements, and a process-wide
 * `Permits` keeps the statements in flight across all of them at `statementsInFlight` (MONGO_BULK_STATEMENTS_IN_FLIGHT,
 * default 16; with APP_ROLE split the processes' budgets add up — keep their sum well under the pool). Inserts do
 * not hold connections (measured: 2 000 documents in one command, three concurrent commands of 600) and go out in
 * commands of `INSERT_CHUNK`, one permit each. On MongoDB everything goes out in batches of `MONGO_CHUNK`.
 *
 * Semantics are the driver's: `ordered` stops at the first failed statement (later chunks are not sent);
 * unordered sends everything and reports every failure. Failures are returned (never thrown) with the caller's
 * positions; anything else (network, server down) is thrown.
 */

/** One failed statement: `index` is its position in the caller's list. */
export interface WriteFailure {
  index: number;
  code: number;
  message: string;
}

export interface BulkOutcome {
  inserted: number;
  matched: number;
  modified: number;
  deleted: number;
  upserted: number;
  failures: WriteFailure[];
}

export const FERRET_CHUNK = 8;
export const INSERT_CHUNK = 1_000;
export const MONGO_CHUNK = 1_000;
export const DEFAULT_STATEMENTS_IN_FLIGHT = 16;
/** Ids per delete command (a `$in` list; keeps the command small). */
export const DELETE_IDS_CHUNK = 500;

let permits = new Permits(DEFAULT_STATEMENTS_IN_FLIGHT);

/** Sets the process-wide budget of FerretDB write statements in flight (at boot, from AppConfig). */
export function configureBulkWrites(options: { statementsInFlight: number }): void {
  if (options.statementsInFlight !== permits.size) permits = new Permits(options.statementsInFlight);
}

/** Statements the process has in flight right now (for tests and health). */
export function bulkStatementsInFlight(): number {
  return permits.held;
}

function emptyOutcome(): BulkOutcome {
  return { inserted: 0, matched: 0, modified: 0, deleted: 0, upserted: 0, failures: [] };
}

function add(into: BulkOutcome, part: BulkOutcome, offset: number): void {
  into.inserted += part.inserted;
  into.matched += part.matched;
  into.modified += part.modified;
  into.deleted += part.deleted;
  into.upserted += part.upserted;
  for (const f of part.failures) into.failures.push({ ...f, index: f.index + offset });
}

interface RawWriteError {
  index?: number;
  code?: number;
  errmsg?: string;
  message?: string;
  err?: { index?: number; code?: number; errmsg?: string };
}

/** The per-statement failures carried by a driver/Mongoose bulk error, or null when it is another kind of error. */
function failuresOf(error: unknown, statements: number): WriteFailure[] | null {
  const raw = (error as { writeErrors?: RawWriteError | RawWriteError[] } | null)?.writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : null;
  if (list && list.length) {
    return list.map((we) => ({
      index: we.index ?? we.err?.index ?? 0,
      code: we.code ?? we.err?.code ?? 0,
      message: we.errmsg ?? we.err?.errmsg ?? we.message ?? 'write failed',
    }));
  }
  // FerretDB answers a one-document insert that breaks a unique index with a plain duplicate-key error.
  if (statements === 1 && isDuplicateKey(error)) {
    return [{ index: 0, code: 11000, message: (error as Error).message }];
  }
  return null;
}

interface DriverCounts {
  insertedCount?: number;
  matchedCount?: number;
  modifiedCount?: number;
  deletedCount?: number;
  upsertedCount?: number;
}

function fromCounts(counts: DriverCounts | undefined, failures: WriteFailure[]): BulkOutcome {
  return {
    inserted: counts?.insertedCount ?? 0,
    matched: counts?.matchedCount ?? 0,
    modified: counts?.modifiedCount ?? 0,
    deleted: counts?.deletedCount ?? 0,
    upserted: counts?.upsertedCount ?? 0,
    failures,
  };
}

/** Weight of a chunk in the budget: its update, replace and delete statements (at least 1: a command is a command). */
function weightOf<T extends object>(ops: AnyBulkWriteOperation<T>[]): number {
  let n = 0;
  for (const op of ops) if (!('insertOne' in op)) n++;
  return Math.max(1, n);
}

function chunks<T>(items: T[], size: number): { items: T[]; offset: number }[] {
  const out: { items: T[]; offset: number }[] = [];
  for (let i = 0; i < items.length; i += size) out.push({ items: items.slice(i, i + size), offset: i });
  return out;
}

/**
 * Runs `send` for each chunk: ordered = one after the other, stopping after a chunk with a failure; unordered =
 * all chunks queued at once, the permits bounding what is in flight.
 */
async function runChunks<I>(
  parts: { items: I[]; offset: number }[],
  ordered: boolean,
  limited: boolean,
  weight: (items: I[]) => number,
  send: (items: I[]) => Promise<BulkOutcome>,
): Promise<BulkOutcome> {
  const total = emptyOutcome();
  const one = (items: I[]) => (limited ? permits.run(weight(items), () => send(items)) : send(items));
  if (ordered) {
    for (const part of parts) {
      const outcome = await one(part.items);
      add(total, outcome, part.offset);
      if (outcome.failures.length) break;
    }
    return total;
  }
  const outcomes = await Promise.all(parts.map((part) => one(part.items)));
  outcomes.forEach((outcome, i) => add(total, outcome, parts[i].offset));
  total.failures.sort((a, b) => a.index - b.index);
  return total;
}

/** `Model.bulkWrite` within the FerretDB budget (see the file comment). */
export async function bulkWrite<T extends object>(
  model: Model<T>,
  ops: AnyBulkWriteOperation<T>[],
  options: { ordered: boolean },
): Promise<BulkOutcome> {
  if (!ops.length) return emptyOutcome();
  const ferret = await isFerretDb(model.db);
  const send = async (part: AnyBulkWriteOperation<T>[]): Promise<BulkOutcome> => {
    try {
      const writes = part as Parameters<Model<T>['bulkWrite']>[0];
      const result = await model.bulkWrite(writes, { ordered: options.ordered });
      return fromCounts(result, []);
    } catch (error) {
      const failures = failuresOf(error, part.length);
      if (!failures) throw error;
      return fromCounts((error as { result?: DriverCounts }).result, failures);
    }
  };
  try {
    return await runChunks(
      chunks(ops, ferret ? FERRET_CHUNK : MONGO_CHUNK),
      options.ordered,
      ferret,
      weightOf,
      send,
    );
  } finally {
    // `Model.bulkWrite` has no per-document middleware: the cache generations of what it touched are bumped here,
    // also after a failure (some statements may have gone through). See infrastructure/cache/generations.ts.
    await bumpGenerations(model, ops.map(bulkTarget));
  }
}

/** The document or filter a bulk statement writes (its organization or `_id` picks the cache scope). */
function bulkTarget(op: object): Record<string, unknown> | undefined {
  const statement = Object.values(op)[0] as { document?: object; filter?: object } | undefined;
  return (statement?.document ?? statement?.filter) as Record<string, unknown> | undefined;
}

/**
 * `Model.insertMany` in chunks. `lean`: skip Mongoose's casting and validation (the caller built complete
 * documents); otherwise schema defaults are applied. Duplicate keys come back as failures with code 11000.
 */
export async function insertMany<T>(
  model: Model<T>,
  docs: object[],
  options: { ordered: boolean; lean?: boolean },
): Promise<BulkOutcome> {
  if (!docs.length) return emptyOutcome();
  const ferret = await isFerretDb(model.db);
  const send = async (part: object[]): Promise<BulkOutcome> => {
    try {
      await model.insertMany(part, { ordered: options.ordered, lean: options.lean ?? false });
      return { ...emptyOutcome(), inserted: part.length };
    } catch (error) {
      // Some documents may have gone in: the cache generations of their organizations (infrastructure/cache).
      await bumpGenerations(model, part as Record<string, unknown>[]);
      const failures = failuresOf(error, part.length);
      if (!failures) throw error;
      // Ordered: everything before the first failure went in; unordered: everything but the failures.
      const inserted = options.ordered
        ? Math.min(...failures.map((f) => f.index))
        : part.length - failures.length;
      return { ...emptyOutcome(), inserted, failures };
    }
  };
  return runChunks(chunks(docs, INSERT_CHUNK), options.ordered, ferret, () => 1, send);
}

/** Deletes the documents of `ids` that also match `filter`, in commands of `DELETE_IDS_CHUNK` ids. */
export async function deleteByIds<T>(
  model: Model<T>,
  filter: FilterQuery<T>,
  ids: string[],
): Promise<number> {
  if (!ids.length) return 0;
  const ferret = await isFerretDb(model.db);
  const outcome = await runChunks(
    chunks(ids, DELETE_IDS_CHUNK),
    true,
    ferret,
    () => 1,
    async (part) => {
      const result = await model.deleteMany({ ...filter, _id: { $in: part } }).exec();
      return { ...emptyOutcome(), deleted: result.deletedCount };
    },
  );
  return outcome.deleted;
}

/** A bulk write whose failures the caller does not accept (`duplicatesOnly`: anything but a duplicate key). */
export class BulkWriteFailedError extends Error {
  /** The first failure's code (11000 keeps `isDuplicateKey` true for callers that catch it). */
  readonly code: number;

  constructor(readonly failures: WriteFailure[]) {
    super(`bulk write failed: ${failures.map((f) => `#${f.index} ${f.code} ${f.message}`).join('; ')}`);
    this.code = failures[0]?.code ?? 0;
  }
}

/** The caller's positions that failed on a unique index; throws when any statement failed otherwise. */
export function duplicatesOnly(outcome: BulkOutcome): number[] {
  const other = outcome.failures.filter((f) => f.code !== 11000);
  if (other.length) throw new BulkWriteFailedError(other);
  return outcome.failures.map((f) => f.index);
}
