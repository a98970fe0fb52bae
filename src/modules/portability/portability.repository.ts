import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../common/context/request-context';
import { insertMany } from '../../infrastructure/mongo/bulk-writes';
import { CrossTenantReason, TenantRepository } from '../../infrastructure/mongo/repositories';
import {
  PortabilityIdMapEntity,
  PortabilityJobEntity,
  type PortabilityIdMapDoc,
  type PortabilityJobDoc,
} from './portability.schema';

export type NewPortabilityJob = Omit<PortabilityJobDoc, 'organizationId' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class PortabilityJobsRepository extends TenantRepository<PortabilityJobDoc> {
  constructor(
    @InjectModel(PortabilityJobEntity.name) model: Model<PortabilityJobDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  add(doc: NewPortabilityJob): Promise<PortabilityJobDoc> {
    return this.create(doc);
  }

  findOfKind(id: string, kind: 'export' | 'import'): Promise<PortabilityJobDoc | null> {
    return this.findOneWhere(this.scope({ _id: id, kind }));
  }

  /** ready (import) / queued / failed → queued; null when in another state. */
  queue(id: string, from: string[]) {
    return this.updateWhere({ _id: id, status: { $in: from } }, { $set: { status: 'queued', error: null } });
  }

  start(id: string, total: number) {
    return this.updateWhere(
      { _id: id, status: { $in: ['queued', 'running'] } },
      { $set: { status: 'running', progressDone: 0, progressTotal: total, error: null } },
    );
  }

  progress(id: string, done: number) {
    return this.updateWhere({ _id: id, status: 'running' }, { $set: { progressDone: done } });
  }

  finish(id: string, change: Partial<PortabilityJobDoc>) {
    return this.updateWhere({ _id: id, status: 'running' }, { $set: { ...change, status: 'done' } });
  }

  fail(id: string, code: string) {
    return this.updateWhere(
      { _id: id, status: { $in: ['queued', 'running'] } },
      { $set: { status: 'failed', error: code } },
    );
  }

  dueForExpiry(now: Date): Promise<PortabilityJobDoc[]> {
    return this.find({ expiresAt: { $lte: now }, fileKey: { $ne: null } });
  }

  /** The archive is gone: an export (or an import never applied) becomes `expired`; an applied import stays `done`. */
  expire(doc: PortabilityJobDoc) {
    const keep = doc.kind === 'import' && doc.status === 'done';
    return this.updateWhere(
      { _id: doc._id },
      { $set: { fileKey: null, expiresAt: null, ...(keep ? {} : { status: 'expired' }) } },
    );
  }

  async organizationsWithExpiredFiles(now: Date): Promise<string[]> {
    const rows = await this.acrossTenants(CrossTenantReason.PortabilityRetention, (collection) =>
      collection
        .find({ expiresAt: { $lte: now } }, { projection: { organizationId: 1 } })
        .limit(5000)
        .toArray(),
    );
    return [...new Set(rows.map((r) => String(r.organizationId)))];
  }
}

@Injectable()
export class PortabilityIdMapRepository extends TenantRepository<PortabilityIdMapDoc> {
  constructor(
    @InjectModel(PortabilityIdMapEntity.name) model: Model<PortabilityIdMapDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  static keyOf(organizationId: string, sourceOrganizationId: string, sourceId: string): string {
    return `${organizationId}|${sourceOrganizationId}|${sourceId}`;
  }

  ofSource(sourceOrganizationId: string): Promise<PortabilityIdMapDoc[]> {
    return this.find({ sourceOrganizationId });
  }

  /** Adds mappings; one already there (a repeated apply) is kept as it is. */
  async addMappings(
    rows: Omit<PortabilityIdMapDoc, '_id' | 'organizationId' | 'createdAt' | 'updatedAt'>[],
  ): Promise<void> {
    const organizationId = this.organizationId;
    const now = new Date();
    const docs = rows.map((r) => ({
      ...r,
      _id: PortabilityIdMapRepository.keyOf(organizationId, r.sourceOrganizationId, r.sourceId),
      organizationId,
      createdAt: now,
      updatedAt: now,
    }));
    const outcome = await insertMany(this.model, docs, { ordered: false, lean: true });
    const other = outcome.failures.filter((f) => f.code !== 11000);
    if (other.length) throw new Error(`Could not store the import's id map: ${other[0].message}`);
  }
}
