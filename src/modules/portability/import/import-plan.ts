import { PortabilityError } from '../portability.errors';
import { exportOnly, importableOnly, type ImportableType, type PortableType } from '../portable-types';

/** What the dry run found for one record type. */
export interface TypePlan {
  inArchive: number;
  create: number;
  /** Mapped to an existing record with the same unique value (e.g. a category of the same name). */
  reuse: number;
  /** Imported before from the same source organization: skipped. */
  alreadyImported: number;
  /** Export-only types (bank data, the bookkeeping): every row of the archive, never written. */
  notImported?: number;
  /** Why an export-only type is not imported (sv and en). */
  reason?: { sv: string; en: string };
}

export interface Conflict {
  type: string;
  sourceId: string;
  /** The unique value both have. */
  value: string;
  resolution: 'reused';
  targetId: string;
}

/** A row decided: its new id and whether it is written. */
export interface Decision {
  type: string;
  sourceId: string;
  targetId: string;
  outcome: 'create' | 'reuse' | 'skip';
  record: Record<string, unknown> | null;
}

export interface PlanInput {
  /** Every portable type; export-only ones are only counted (`notImported`). */
  types: PortableType[];
  rows: Map<string, Record<string, unknown>[]>;
  /** sourceId → existing mapping (earlier imports of the same source organization). */
  mapped: Map<string, { targetId: string; importId: string }>;
  importId: string;
  /** Unique values of live records in the target organization, per type. */
  existingKeys: Map<string, Map<string, string>>;
  /** New ids for the rows to create, handed out in order. */
  newId: (index: number) => string;
  userId: string;
}

/**
 * The pure part of an import (unit-tested): checks every row's id and references against the archive, decides per
 * row create / reuse / skip, hands out new ids, and rewrites every reference. Throws a PortabilityError for
 * anything that makes the archive unusable (nothing is written before this passed).
 */
export function planImport(input: PlanInput): {
  decisions: Decision[];
  perType: Record<string, TypePlan>;
  conflicts: Conflict[];
} {
  const types = importableOnly(input.types);
  const typeOf = new Map<string, string>();
  for (const item of types)
    for (const [line, row] of (input.rows.get(item.type) ?? []).entries()) {
      const id = row._id;
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id))
        throw new PortabilityError('RECORD_INVALID', undefined, {
          type: item.type,
          line: line + 1,
          field: '_id',
        });
      if (typeOf.has(id))
        throw new PortabilityError('RECORD_INVALID', undefined, {
          type: item.type,
          id,
          reason: 'duplicate id',
        });
      typeOf.set(id, item.type);
    }

  // references must name a record of the right type in the archive
  for (const item of types)
    for (const row of input.rows.get(item.type) ?? [])
      for (const [field, target] of Object.entries(item.definition.references ?? {})) {
        const value = row[field];
        if (value === null || value === undefined) continue;
        const wanted = typeof target === 'string' ? target : row[target.typeField];
        const values = Array.isArray(value) ? value : [value];
        for (const v of values) {
          if (typeof v !== 'string' || typeof wanted !== 'string')
            throw new PortabilityError('RECORD_INVALID', undefined, { type: item.type, id: row._id, field });
          if (typeOf.get(v) !== wanted)
            throw new PortabilityError('REFERENCE_MISSING', undefined, {
              type: item.type,
              id: row._id,
              field,
              value: v.slice(0, 64),
            });
        }
      }

  const target = new Map<string, string>();
  const outcome = new Map<string, Decision['outcome']>();
  let next = 0;
  const perType: Record<string, TypePlan> = {};
  const conflicts: Conflict[] = [];
  for (const item of types) {
    perType[item.type] = {
      inArchive: (input.rows.get(item.type) ?? []).length,
      create: 0,
      reuse: 0,
      alreadyImported: 0,
    };
  }
  for (const item of exportOnly(input.types)) {
    const inArchive = (input.rows.get(item.type) ?? []).length;
    perType[item.type] = {
      inArchive,
      create: 0,
      reuse: 0,
      alreadyImported: 0,
      notImported: inArchive,
      reason: item.definition.reason,
    };
  }

  // 1. rows mapped by an earlier import are skipped; rows of a type without a unique value get new ids at once
  const pending: ImportableType[] = [];
  for (const item of types) {
    for (const row of input.rows.get(item.type) ?? []) {
      const id = String(row._id);
      const earlier = input.mapped.get(id);
      if (earlier) {
        target.set(id, earlier.targetId);
        // the same import applied again (a retried job) writes its records again, skipping what is there
        outcome.set(id, earlier.importId === input.importId ? 'create' : 'skip');
      } else if (!item.definition.uniqueKey) {
        target.set(id, input.newId(next++));
        outcome.set(id, 'create');
      }
    }
    if (item.definition.uniqueKey) pending.push(item);
  }

  // 2. types with a unique value, referenced types first; inside a type, rows whose references are decided first
  const ordered = orderByReferences(pending);
  for (const item of ordered) {
    const keys = new Map(input.existingKeys.get(item.type) ?? []);
    let rows = (input.rows.get(item.type) ?? []).filter((r) => !target.has(String(r._id)));
    while (rows.length) {
      const ready = rows.filter((row) => referencesDecided(item, row, target));
      const batch = ready.length ? ready : rows; // a cycle inside the type: decide the rest as they are
      for (const row of batch) {
        const id = String(row._id);
        const record = build(item, row, `pending-${id}`, target, input.userId);
        const key = item.definition.uniqueKey?.(record) ?? null;
        const existing = key !== null ? keys.get(key) : undefined;
        if (existing) {
          target.set(id, existing);
          outcome.set(id, 'reuse');
          conflicts.push({
            type: item.type,
            sourceId: id,
            value: String(key).slice(0, 200),
            resolution: 'reused',
            targetId: existing,
          });
        } else {
          const newId = input.newId(next++);
          target.set(id, newId);
          outcome.set(id, 'create');
          if (key !== null) keys.set(key, newId);
        }
      }
      const decided = new Set(batch);
      rows = rows.filter((r) => !decided.has(r));
    }
  }

  // 3. every row rewritten with the whole map, checked by its module
  const decisions: Decision[] = [];
  for (const item of types)
    for (const row of input.rows.get(item.type) ?? []) {
      const id = String(row._id);
      const what = outcome.get(id) ?? 'skip';
      const plan = perType[item.type];
      if (what === 'skip') plan.alreadyImported++;
      else if (what === 'reuse') plan.reuse++;
      else plan.create++;
      const record = what === 'create' ? build(item, row, target.get(id) ?? '', target, input.userId) : null;
      if (record) {
        const problems = item.definition.check(record);
        if (problems.length)
          throw new PortabilityError('RECORD_INVALID', undefined, {
            type: item.type,
            id,
            fields: problems.slice(0, 10),
          });
      }
      decisions.push({
        type: item.type,
        sourceId: id,
        targetId: target.get(id) ?? '',
        outcome: what,
        record,
      });
    }
  return { decisions, perType, conflicts };
}

function referencesDecided(
  item: ImportableType,
  row: Record<string, unknown>,
  target: Map<string, string>,
): boolean {
  for (const field of Object.keys(item.definition.references ?? {})) {
    const value = row[field];
    const values: unknown[] = Array.isArray(value)
      ? value
      : value === null || value === undefined
        ? []
        : [value];
    if (values.some((v) => !target.has(String(v)))) return false;
  }
  return true;
}

/** The record to write: new id, references through the map, people and outside links handled, then `fromRow`. */
function build(
  item: ImportableType,
  row: Record<string, unknown>,
  id: string,
  target: Map<string, string>,
  userId: string,
): Record<string, unknown> {
  const record: Record<string, unknown> = { ...row, _id: id };
  for (const field of Object.keys(item.definition.references ?? {})) {
    const value = row[field];
    if (value === null || value === undefined) continue;
    const swap = (v: unknown): unknown => (typeof v === 'string' ? (target.get(v) ?? v) : v);
    record[field] = Array.isArray(value) ? (value as unknown[]).map(swap) : swap(value);
  }
  for (const field of item.definition.userFields ?? [])
    if (field in record && record[field] !== null) record[field] = userId;
  for (const field of item.definition.droppedFields ?? []) if (field in record) record[field] = null;
  return item.definition.fromRow ? item.definition.fromRow(record) : record;
}

/** Types whose unique values depend on references: the referenced types first (cycles broken by name order). */
function orderByReferences(items: ImportableType[]): ImportableType[] {
  const byType = new Map(items.map((i) => [i.type, i]));
  const done = new Set<string>();
  const result: ImportableType[] = [];
  const visit = (item: ImportableType, path: Set<string>) => {
    if (done.has(item.type) || path.has(item.type)) return;
    path.add(item.type);
    for (const target of Object.values(item.definition.references ?? {})) {
      const dep = typeof target === 'string' ? byType.get(target) : undefined;
      if (dep) visit(dep, path);
    }
    done.add(item.type);
    result.push(item);
  };
  for (const item of items) visit(item, new Set());
  return result;
}
