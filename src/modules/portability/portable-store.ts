import type { ImportableDefinition } from './portability.contract';

/** What `portableStore` needs of a repository: SoftDeleteTenantRepository has all three. */
interface StoreLike<R> {
  find(filter: Record<string, never>): Promise<R[]>;
  addMany(docs: never[], options: { tolerateDuplicates?: boolean }): Promise<void>;
  invalidFields(doc: object): string[];
}

/**
 * The usual portable hooks from a module's own `SoftDeleteTenantRepository`: every live record, inserts that skip
 * ids already there (a repeated apply is harmless), and the schema's own validation for the dry run.
 */
export function portableStore<R>(
  repository: StoreLike<R>,
): Pick<ImportableDefinition<R>, 'list' | 'insert' | 'check'> {
  return {
    list: () => repository.find({}),
    insert: (records) => repository.addMany(records as never[], { tolerateDuplicates: true }),
    check: (record) => repository.invalidFields(record),
  };
}
