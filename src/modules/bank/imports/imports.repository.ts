import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import { TenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  BankImportEntity,
  BankImportFileEntity,
  CsvProfileEntity,
  type BankImportDoc,
  type BankImportFileDoc,
  type CsvProfileDoc,
} from './imports.schema';

/**
 * CSV profiles, statement imports and their files. Reads are lean; every query goes through `scope()` (the request's
 * or job's organization).
 *
 * FerretDB v1 notes: SQLite pushes down only `_id` equality, so the indexed queries here scan there — fine for tests
 * and small data; on MongoDB each is served by the index named in imports.schema.ts.
 */

// ---------- CSV profiles ----------

@Injectable()
export class CsvProfilesRepository extends TenantRepository<CsvProfileDoc> {
  constructor(@InjectModel(CsvProfileEntity.name) model: Model<CsvProfileDoc>, context: RequestContext) {
    super(model, context);
  }

  /** TAKEN when the name is taken. */
  add(
    doc: Omit<CsvProfileDoc, 'organizationId' | 'createdAt' | 'updatedAt'>,
  ): Promise<CsvProfileDoc | Taken> {
    return unlessTaken(() => this.create(doc));
  }

  /** TAKEN when a concurrent rename took the name between the service's check and this update. */
  change(id: string, set: Partial<CsvProfileDoc>) {
    return unlessTaken(() => this.updateById(id, { $set: set }));
  }

  findByNameKey(nameKey: string): Promise<CsvProfileDoc | null> {
    return this.findOneWhere(this.scope({ nameKey }));
  }

  list(): Promise<CsvProfileDoc[]> {
    return this.find({}, { sort: { nameKey: 1 } });
  }

  async remove(id: string): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne(this.scope({ _id: id })).exec();
    return deletedCount === 1;
  }
}

// ---------- imports ----------

@Injectable()
export class BankImportsRepository extends TenantRepository<BankImportDoc> {
  constructor(@InjectModel(BankImportEntity.name) model: Model<BankImportDoc>, context: RequestContext) {
    super(model, context);
  }

  async set(id: string, fields: Partial<BankImportDoc>): Promise<BankImportDoc | null> {
    return (await this.updateById(id, { $set: fields }))?.after ?? null;
  }
}

@Injectable()
export class BankImportFilesRepository extends TenantRepository<BankImportFileDoc> {
  constructor(
    @InjectModel(BankImportFileEntity.name) model: Model<BankImportFileDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  async put(importId: string, data: Buffer, contentType: string | null): Promise<void> {
    await this.create({ _id: importId, data, contentType });
  }

  async bytes(importId: string): Promise<Buffer | null> {
    const doc = await this.findById(importId);
    if (!doc) return null;
    const data = doc.data as unknown;
    // Lean reads give the driver's Binary; make it a Buffer either way.
    if (Buffer.isBuffer(data)) return data;
    const binary = data as { buffer?: Uint8Array; value?: () => Uint8Array };
    if (binary?.buffer instanceof Uint8Array) return Buffer.from(binary.buffer);
    if (typeof binary?.value === 'function') return Buffer.from(binary.value());
    return null;
  }
}
