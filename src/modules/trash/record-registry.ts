import { Injectable } from '@nestjs/common';
import { unlessTaken } from '../../infrastructure/mongo/unique';
import type {
  DependentRef,
  DependentsProvider,
  RecordRef,
  RecordTypeDefinition,
  TrashableRecord,
} from './record-types';

const TYPE_NAME = /^[a-z][a-z0-9_-]{0,49}$/;
/** A cascade larger than this is refused rather than half done (and is surely a cycle or a bug). */
export const MAX_CASCADE = 5_000;

/**
 * Every kind of record the trash and the uploads can work with, by global id. Modules register their types at
 * start (`onModuleInit`); tests may register throwaway types. Global ids never repeat across types, so an id names
 * at most one record of one type.
 */
@Injectable()
export class RecordRegistry {
  private readonly types = new Map<string, RecordTypeDefinition>();
  private readonly providers = new Map<string, DependentsProvider>();

  register<R extends TrashableRecord>(definition: RecordTypeDefinition<R>): void {
    if (!TYPE_NAME.test(definition.type))
      throw new Error(`Record type name "${definition.type}" is not valid`);
    if (this.types.has(definition.type))
      throw new Error(`Record type "${definition.type}" is registered twice`);
    this.types.set(definition.type, withTakenRestore(definition) as unknown as RecordTypeDefinition);
  }

  /** `name` identifies the provider (one per owning module), e.g. `uploads`. */
  registerDependents(name: string, provider: DependentsProvider): void {
    if (this.providers.has(name)) throw new Error(`Dependents provider "${name}" is registered twice`);
    this.providers.set(name, provider);
  }

  get(type: string): RecordTypeDefinition | undefined {
    return this.types.get(type);
  }

  require(type: string): RecordTypeDefinition {
    const definition = this.types.get(type);
    if (!definition) throw new Error(`Record type "${type}" is not registered`);
    return definition;
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  typeNames(): string[] {
    return [...this.types.keys()].sort();
  }

  /** Whether this record may never be deleted or purged (BFL 7 kap). */
  async isBookkeeping(type: string, record: TrashableRecord): Promise<boolean> {
    const flag = this.require(type).bookkeeping;
    return typeof flag === 'function' ? flag(record) : flag === true;
  }

  /**
   * Whether the record with this id is bookkeeping, looked up in its type (deleted or not). For records that belong
   * to another one, e.g. an upload whose record is a booked transaction. Unknown type or id → false.
   */
  async isBookkeepingRecord(ref: RecordRef): Promise<boolean> {
    const definition = this.types.get(ref.type);
    if (!definition) return false;
    if (definition.bookkeeping === true) return true;
    if (!definition.bookkeeping) return false;
    const record = await definition.find(ref.id, { withDeleted: true });
    return record ? this.isBookkeeping(ref.type, record) : false;
  }

  /** Whether every record of this type is bookkeeping (e.g. an upload attached to one inherits it). */
  isBookkeepingType(type: string): boolean {
    return this.types.get(type)?.bookkeeping === true;
  }

  /**
   * The live record with this id in the current organization, among the types that can own files. One `_id`
   * lookup per such type — used once per upload, never per listed item.
   */
  async resolveOwner(id: string): Promise<(RecordRef & { record: TrashableRecord }) | null> {
    for (const definition of this.types.values()) {
      if (definition.canOwnFiles === false) continue;
      const record = await definition.find(id, { withDeleted: false });
      if (record) return { type: definition.type, id, record };
    }
    return null;
  }

  /** Direct dependents of a record, from every provider. */
  async dependentsOf(parent: RecordRef): Promise<DependentRef[]> {
    const lists = await Promise.all([...this.providers.values()].map((provider) => provider(parent)));
    return lists.flat();
  }

  /**
   * Dependents at any depth (an upload attached to an upload attached to a contract…), parents before children,
   * following only those `follow` accepts. Cycles are cut; more than MAX_CASCADE records is an error.
   */
  async collectDependents(
    root: RecordRef,
    follow: (dependent: DependentRef) => boolean,
  ): Promise<DependentRef[]> {
    const seen = new Set<string>([root.id]);
    const result: DependentRef[] = [];
    let frontier: RecordRef[] = [root];
    while (frontier.length) {
      const next: RecordRef[] = [];
      for (const parent of frontier) {
        for (const dependent of await this.dependentsOf(parent)) {
          if (seen.has(dependent.id) || !follow(dependent)) continue;
          seen.add(dependent.id);
          result.push(dependent);
          next.push(dependent);
          if (result.length > MAX_CASCADE) throw new Error(`More than ${MAX_CASCADE} dependent records`);
        }
      }
      frontier = next;
    }
    return result;
  }
}

/**
 * The restore hook's contract is to answer TAKEN when a unique value of the record is taken
 * (`unlessTaken`/`TAKEN`, src/infrastructure/mongo/unique.ts). A hook that lets the unique-index violation escape
 * instead (a plain `restoreById`) is held to the same contract here, once for every type, so the trash service only
 * compares results and never reads driver errors. The hook is looked up at each call (tests may swap it).
 */
function withTakenRestore<R extends TrashableRecord>(
  definition: RecordTypeDefinition<R>,
): RecordTypeDefinition<R> {
  const hooks = definition.trash;
  if (!hooks) return definition;
  return { ...definition, trash: { ...hooks, restore: (id) => unlessTaken(() => hooks.restore(id)) } };
}
