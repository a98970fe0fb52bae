import type { Readable } from 'node:stream';

/**
 * How a module makes one of its record types portable (export and import of a whole organization,
 * docs/portability.md). It is part of the type's `RecordTypeDefinition` (`portable`, src/modules/trash/record-types.ts),
 * registered in the module's `*.records.ts`: the portability module never reads another module's schema or
 * repository, it only calls these hooks. Every hook runs with the organization in the request/job context.
 *
 * A record travels as a *row*: the stored document without `organizationId`, timestamps and soft-delete fields
 * (`toRow` may change that, e.g. decrypt a field), with its own `_id` kept as the *source id*. On import every row
 * gets a new global id, every reference field is rewritten through the id map, then `fromRow` rebuilds what depends
 * on ids (keys, encryption bound to the id) and `insert` writes the records.
 */
export type PortableDefinition<R = Record<string, unknown>> =
  ImportableDefinition<R> | ExportOnlyDefinition<R>;

/** A type that travels both ways (the default). */
export interface ImportableDefinition<R = Record<string, unknown>> extends PortableRows<R> {
  importable?: true;
  /**
   * Fields holding ids of other records: field → the record type it names (a list of ids is allowed), or
   * `{ typeField }` when another field of the row names the type (an upload's `recordId`/`recordType`).
   */
  references?: Record<string, string | { typeField: string }>;
  /** Fields that point outside what is exported (e.g. a bank line): set to null on import. */
  droppedFields?: string[];
  /** The record to insert from a row whose `_id` and references are already the new ones (default: the row). */
  fromRow?(row: Record<string, unknown>): Record<string, unknown>;
  /**
   * The value a unique index of this type holds (after `fromRow`), e.g. `expense||el` for a category: when a live
   * record of the target organization has it, the imported row is mapped to that record instead of being created.
   */
  uniqueKey?(record: Record<string, unknown>): string | null;
  /** Problems of an imported record (wrong types, missing required fields), as `field: reason`; empty when fine. */
  check(record: Record<string, unknown>): string[];
  /** Inserts imported records (new ids); an id that is already there is skipped, so a repeated apply is harmless. */
  insert(records: Record<string, unknown>[]): Promise<void>;
  /** Files that belong to a record (uploads): listed, read and written by the owning module. */
  files?: PortableFiles<R>;
}

/**
 * A type that is exported but never imported (bank data and the bookkeeping): its rows are in the archive, the dry
 * run counts them as not imported with `reason`, the apply writes nothing for them.
 */
export interface ExportOnlyDefinition<R = Record<string, unknown>> extends PortableRows<R> {
  importable: false;
  /** Why the import leaves these records out, for the person reading the dry run. */
  reason: { sv: string; en: string };
}

/** What every portable type has: how its rows are listed and written to the archive. */
interface PortableRows<R> {
  /** The JSON Lines file in the archive: `records/<file>.jsonl`. Stable: part of the format. */
  file: string;
  /** Fields naming a person (createdBy, uploadedBy…): set to the importing user, because people are not exported. */
  userFields?: string[];
  /** Every live record of the current organization. */
  list(): Promise<R[]>;
  /** Changes the row written to the archive (it is the record minus organization, timestamps and trash fields). */
  toRow?(row: Record<string, unknown>): Record<string, unknown>;
}

export interface PortableFiles<R> {
  /** Names of the record's stored files, e.g. `original`, `thumbnail` (a safe word each). */
  names(record: R): Promise<string[]>;
  open(record: R, name: string): Promise<Readable>;
  /** Stores one file of an imported record (`record` already has the new id and owner); `sha256` is checked. */
  write(record: Record<string, unknown>, name: string, body: Readable, sha256: string): Promise<void>;
  /** Names a file may have (what `write` accepts). */
  accepted: readonly string[];
}
