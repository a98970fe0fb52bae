import type { Connection, Model, Schema } from 'mongoose';

/**
 * Cache generations: which records a write touched, as (collection, scope) pairs. The scope is the organization of
 * tenant records; for records outside any organization (users) it is the record's `_id` when the write names one
 * record, else `*` (the whole collection). A cached read depends on the generations of the collections it reads, in
 * its scope and in `*`; a write bumps them after it is done, so nothing cached from before the write is served
 * after it (cache.service.ts).
 */
export interface WriteScope {
  collection: string;
  scope: string;
}

/** Whoever keeps the generations (CacheService) for one connection; awaited by the write that triggered it. */
export type GenerationBumper = (scopes: WriteScope[]) => Promise<void>;

const bumpers = new WeakMap<Connection, GenerationBumper>();

/** CacheService registers itself for its connection at boot (and removes itself at shutdown). */
export function registerGenerationBumper(connection: Connection, bumper: GenerationBumper | null): void {
  if (bumper) bumpers.set(connection, bumper);
  else bumpers.delete(connection);
}

export const ALL_SCOPES = '*';

type Doc = Record<string, unknown> | null | undefined;

/** The scope a document or a filter names: its organization, else its one `_id`, else `*`. */
export function scopeOf(doc: Doc): string {
  const org = doc?.organizationId;
  if (typeof org === 'string' && org !== '') return org;
  const id = doc?._id;
  if (typeof id === 'string' && id !== '') return id;
  return ALL_SCOPES;
}

/**
 * Bumps the generations of `docs` (documents or filters) in `model`'s collection. Called by the plugin below for
 * every Mongoose write and by the bulk-write helper (bulk-writes.ts) for `bulkWrite`. Never throws: a cache that
 * cannot be told is CacheService's problem (it stops serving what may be stale), not the write's.
 */
export async function bumpGenerations(
  model: Pick<Model<unknown>, 'db' | 'collection'>,
  docs: Doc[],
): Promise<void> {
  // A subdocument's save (embedded schemas get the plugin too) has no collection of its own: its parent's save bumps.
  const bumper = model?.db ? bumpers.get(model.db) : undefined;
  const collection = (model?.collection as { collectionName?: string } | undefined)?.collectionName;
  if (!bumper || !collection) return;
  const scopes = [...new Set(docs.map(scopeOf))].map((scope) => ({ collection, scope }));
  if (!scopes.length) scopes.push({ collection, scope: ALL_SCOPES });
  await bumper(scopes);
}

const QUERY_WRITES = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'replaceOne',
  'deleteOne',
  'deleteMany',
] as const;

interface QueryThis {
  model: Model<unknown>;
  getFilter(): Record<string, unknown>;
}

/**
 * On every schema of the connection (MongoModule): after each write through Mongoose — `save` (so `create`),
 * `insertMany`, and every update/replace/delete query — bump the generations of what it touched, also when the
 * write failed part-way (an error may come after some documents changed). The write's caller continues only once
 * the bump is done, so a read right after the write's response cannot see a value cached before it.
 */
export function cacheGenerationPlugin(schema: Schema): void {
  for (const op of QUERY_WRITES) {
    schema.post(op, async function (this: QueryThis) {
      await bumpGenerations(this.model, [this.getFilter()]);
    });
    // Error handlers are told apart by taking three arguments; they call `next` rather than return a promise.
    schema.post(op, function (this: QueryThis, error: Error, _res: unknown, next: (e?: Error) => void) {
      void bumpGenerations(this.model, [this.getFilter()]).then(() => next(error));
    });
  }
  schema.post('save', async function (this: { constructor: Model<unknown>; $isSubdocument?: boolean }) {
    if (this.$isSubdocument) return;
    await bumpGenerations(this.constructor, [this]);
  });
  schema.post('insertMany', async function (this: Model<unknown>, docs: unknown) {
    await bumpGenerations(this, Array.isArray(docs) ? (docs as Doc[]) : []);
  });
  schema.post(
    'insertMany',
    function (this: Model<unknown>, error: Error, _docs: unknown, next: (e?: Error) => void) {
      // Which documents went in is not known here: every scope of the collection.
      void bumpGenerations(this, [undefined]).then(() => next(error));
    },
  );
}
