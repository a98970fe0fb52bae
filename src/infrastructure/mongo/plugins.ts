import type { Connection, Schema } from 'mongoose';

const QUERY_OPS = [
  'countDocuments',
  'deleteMany',
  'deleteOne',
  'find',
  'findOne',
  'findOneAndDelete',
  'findOneAndReplace',
  'findOneAndUpdate',
  'replaceOne',
  'updateMany',
  'updateOne',
] as const;

const tenantScoped = new WeakSet<Schema>();
const crossTenant = new WeakMap<Schema, string>();

/**
 * A schema that holds `organizationId` but is deliberately not scoped by `tenantScopedPlugin` (the platform's own
 * records about organizations: memberships, billing accounts, the audit log's platform chain). `why` says which
 * code keeps its reads scoped instead; `tenantScopingGaps` lists every schema that has neither.
 */
export function declareCrossTenant(schema: Schema, why: string): void {
  crossTenant.set(schema, why);
}

/**
 * Models of a connection whose schema has an `organizationId` path but neither `tenantScopedPlugin` nor
 * `declareCrossTenant` — checked at boot (MongoModule), so a new tenant collection cannot forget its scoping.
 * Discriminators are covered through their base schema.
 */
export function tenantScopingGaps(connection: Connection): string[] {
  return Object.values(connection.models)
    .filter((model) => {
      const schema = model.schema;
      return (
        schema.path('organizationId') !== undefined && !tenantScoped.has(schema) && !crossTenant.has(schema)
      );
    })
    .map((model) => model.modelName)
    .sort();
}

export class UnscopedTenantQueryError extends Error {
  constructor(model: string, op: string) {
    super(`Tenant data query without organizationId: ${model}.${op}`);
  }
}

/**
 * Tenant data: `organizationId` is required on every document and in every query filter and aggregation's first
 * `$match`. The typed `TenantRepository` adds it at compile time; this hook makes a query that slipped past it
 * fail at run time (and in tests) instead of reading every organization's data.
 */
export function tenantScopedPlugin(schema: Schema): void {
  tenantScoped.add(schema);
  schema.add({ organizationId: { type: String, required: true } });
  for (const op of QUERY_OPS) {
    schema.pre(op, function () {
      const filter = this.getFilter() as Record<string, unknown>;
      if (typeof filter.organizationId !== 'string' || filter.organizationId === '') {
        throw new UnscopedTenantQueryError(this.model.modelName, op);
      }
    });
  }
  schema.pre('aggregate', function () {
    const first = this.pipeline()[0] as { $match?: { organizationId?: unknown } } | undefined;
    if (typeof first?.$match?.organizationId !== 'string') {
      throw new UnscopedTenantQueryError('aggregate', 'aggregate');
    }
  });
}

const MUTATIONS = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'replaceOne',
  'deleteOne',
  'deleteMany',
] as const;

/**
 * Append-only records (audit entries, vouchers): no update, replace or delete goes through Mongoose, and a document
 * is saved only when new. `refuse` names the error thrown for the refused operation.
 */
export function appendOnlyPlugin(schema: Schema, refuse: (op: string) => Error): void {
  for (const op of MUTATIONS) {
    schema.pre(op, function () {
      throw refuse(op);
    });
  }
  schema.pre('save', function () {
    if (!this.isNew) throw refuse('save of an existing document');
  });
}

export interface SoftDeleteFields {
  isDeleted: boolean;
  deletedAt: Date | null;
  deletedBy: string | null;
}

/**
 * Generic soft delete. Queries exclude deleted documents unless the filter names `isDeleted` itself or the query
 * carries the option `{ withDeleted: true }`.
 */
export function softDeletePlugin(schema: Schema): void {
  schema.add({
    isDeleted: { type: Boolean, default: false },
    deletedAt: { type: Date, default: null },
    deletedBy: { type: String, default: null },
  });
  for (const op of QUERY_OPS) {
    schema.pre(op, function () {
      const options = this.getOptions() as { withDeleted?: boolean };
      const filter = this.getFilter() as Record<string, unknown>;
      if (options.withDeleted || 'isDeleted' in filter) return;
      this.where({ isDeleted: false });
    });
  }
}
