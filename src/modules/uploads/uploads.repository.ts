import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../common/context/request-context';
import type { Page, PageRequest } from '../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository } from '../../infrastructure/mongo/repositories';
import {
  UploadEntity,
  type StoredVariant,
  type UploadDoc,
  type UploadFailure,
  type VariantName,
} from './uploads.schema';

@Injectable()
export class UploadsRepository extends SoftDeleteTenantRepository<UploadDoc> {
  constructor(@InjectModel(UploadEntity.name) model: Model<UploadDoc>, context: RequestContext) {
    super(model, context);
  }

  list(filter: { recordId?: string }, page: PageRequest): Promise<Page<UploadDoc>> {
    return this.page(filter.recordId ? { recordId: filter.recordId } : {}, page);
  }

  /** Uploads attached to a record, live and deleted (the trash cascade decides what to follow). */
  async attachedTo(recordId: string): Promise<Array<Pick<UploadDoc, '_id' | 'isDeleted'>>> {
    const rows = await this.find({ recordId }, { withDeleted: true });
    return rows.map(({ _id, isDeleted }) => ({ _id, isDeleted }));
  }

  /** processing → ready, whether or not the upload went to the trash meanwhile; null if it is no longer processing. */
  async markReady(
    id: string,
    result: {
      variants: Partial<Record<VariantName, StoredVariant>>;
      width: number;
      height: number;
      note: string | null;
    },
  ): Promise<UploadDoc | null> {
    // One round trip (no before/after pair: nothing to diff for the audit here).
    return this.model
      .findOneAndUpdate(
        this.scope({ _id: id, status: 'processing' }),
        { $set: { status: 'ready', ...result, failure: null } },
        { new: true, withDeleted: true },
      )
      .lean<UploadDoc>()
      .exec();
  }

  async markFailed(id: string, failure: UploadFailure): Promise<UploadDoc | null> {
    const updated = await this.updateWhere(
      this.scope({ _id: id, status: 'processing' }),
      { $set: { status: 'failed', failure } },
      { withDeleted: true },
    );
    return updated?.after ?? null;
  }

  /** Removes a soft-deleted upload for good; a live one is never touched. */
  async hardDelete(id: string): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne(this.scope({ _id: id, isDeleted: true })).exec();
    return deletedCount === 1;
  }
}
