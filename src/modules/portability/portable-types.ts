import type { RecordRegistry } from '../trash/record-registry';
import type { ExportOnlyDefinition, ImportableDefinition, PortableDefinition } from './portability.contract';

export interface PortableType {
  type: string;
  definition: PortableDefinition<Record<string, unknown>>;
}

/** A type the import writes (`importable` not false). */
export interface ImportableType {
  type: string;
  definition: ImportableDefinition<Record<string, unknown>>;
}

/** A type that is only exported (bank data, the bookkeeping): the import counts it and writes nothing. */
export interface ExportOnlyType {
  type: string;
  definition: ExportOnlyDefinition<Record<string, unknown>>;
}

/** Fields of a stored record that never travel: the organization, timestamps and the trash's fields. */
export const STORED_ONLY = [
  'organizationId',
  'createdAt',
  'updatedAt',
  'isDeleted',
  'deletedAt',
  'deletedBy',
];

/** Every registered record type that is portable, in name order. */
export function portableTypes(registry: RecordRegistry): PortableType[] {
  const result: PortableType[] = [];
  for (const type of registry.typeNames()) {
    const definition = registry.get(type)?.portable as
      PortableDefinition<Record<string, unknown>> | undefined;
    if (definition) result.push({ type, definition });
  }
  return result;
}

/** The portable types the import writes. */
export function importableOnly(types: PortableType[]): ImportableType[] {
  return types.filter((t): t is ImportableType => t.definition.importable !== false);
}

/** The portable types that are exported but never imported. */
export function exportOnly(types: PortableType[]): ExportOnlyType[] {
  return types.filter((t): t is ExportOnlyType => t.definition.importable === false);
}

/** The file hooks of a type (only importable types have files). */
export function filesOf(item: PortableType): ImportableDefinition<Record<string, unknown>>['files'] {
  return item.definition.importable === false ? undefined : item.definition.files;
}

/** The archive row of a stored record. */
export function toRow(item: PortableType, record: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!STORED_ONLY.includes(key)) row[key] = value;
  return item.definition.toRow ? item.definition.toRow(row) : row;
}

/** `files/<ownerType>/<ownerId>/<uploadId>/<name>`: the file under its original record (a loose upload: itself). */
export function filePath(item: PortableType, row: Record<string, unknown>, name: string): string {
  const owner = ownerOf(item, row);
  return `files/${owner.type}/${owner.id}/${String(row._id)}/${name}`;
}

export function ownerOf(item: PortableType, row: Record<string, unknown>): { type: string; id: string } {
  const references = item.definition.importable === false ? {} : (item.definition.references ?? {});
  for (const [field, target] of Object.entries(references)) {
    if (typeof target === 'string') continue;
    const id = row[field];
    const type = row[target.typeField];
    if (typeof id === 'string' && typeof type === 'string') return { type, id };
  }
  return { type: item.type, id: String(row._id) };
}
