/**
 * What the trash and the uploads need to know about a kind of record, registered by the module that owns it
 * (`RecordRegistry.register` in its `onModuleInit`). Every hook runs inside a request or job context that carries
 * the organization, so implementations read through their `TenantRepository` and never see another organization.
 */

import type { PortableDefinition } from '../portability/portability.contract';

/** A record named by its global id and its registered type. */
export interface RecordRef {
  type: string;
  id: string;
}

/** The minimum the trash reads from any record. */
export interface TrashableRecord {
  _id: string;
  isDeleted?: boolean;
}

/** A unique value that another live record took while this one was in the trash. */
export interface RestoreConflict {
  /** The field whose unique value is taken, e.g. `name`. */
  field: string;
  value: string;
}

export interface RecordTypeDefinition<R extends TrashableRecord = TrashableRecord> {
  /** Stored in the trash index and in audit entries: never rename. Lower-case, e.g. `upload`, `contract`. */
  type: string;
  /** The record in the current organization, or null. Deleted ones only with `withDeleted`. */
  find(id: string, options: { withDeleted: boolean }): Promise<R | null>;
  /** What the trash list shows ("what it was"): a name, a title, a file name. */
  label(record: R): string;
  /**
   * Bookkeeping records (verifikationer and their underlag, BFL 7 kap) are kept for seven years after the fiscal
   * year: they can never be deleted or purged. `true` for the whole type, or decided per record (e.g. a transaction
   * once it is booked; an upload attached to a bookkeeping record, which is part of its underlag).
   */
  bookkeeping?: boolean | ((record: R) => boolean | Promise<boolean>);
  /** Files may be attached to records of this type (POST /uploads `recordId`). Default true. */
  canOwnFiles?: boolean;
  /** The record this one belongs to (e.g. an upload's record); restoring it while that one is in the trash is refused. */
  parentOf?(record: R): RecordRef | null;
  /** Present when records of this type travel in an organization's export and import (docs/portability.md). */
  portable?: PortableDefinition<R>;
  /** Present when records of this type can go to the trash. */
  trash?: {
    /** Generic soft delete (TenantRepository.softDeleteById) at the trash's time; null when nothing live matched. */
    softDelete(id: string, at: Date): Promise<unknown>;
    /**
     * Undo of softDelete (TenantRepository.restoreById); null when nothing deleted matched; `TAKEN`
     * (src/infrastructure/mongo/unique.ts, e.g. through `unlessTaken`) when another live record took one of its unique
     * values meanwhile — the registry translates a unique-index violation that escapes a hook into TAKEN as well.
     */
    restore(id: string): Promise<unknown>;
    /** Checked before anything is restored: a unique value now taken by another live record → 409. */
    restoreConflict?(record: R): Promise<RestoreConflict | null>;
    /** Removes a *deleted* record for good, with its files. Must not touch a live record; must be idempotent. */
    purge(id: string): Promise<void>;
  };
}

/** A dependent record with its current state, as reported by a dependents provider. */
export interface DependentRef extends RecordRef {
  isDeleted: boolean;
}

/**
 * Records that belong to another one and go to the trash with it (cascade), e.g. a record's uploads. Providers are
 * registered per owning module and answer for a parent of any type.
 */
export type DependentsProvider = (parent: RecordRef) => Promise<DependentRef[]>;
