import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import { byEachId } from '../../../infrastructure/mongo/id-filter';
import { TenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  AiSettingsEntity,
  AiSuggestionEntity,
  type AiSettingsDoc,
  type AiSuggestionDoc,
} from './categorization.schema';

@Injectable()
export class AiSettingsRepository extends TenantRepository<AiSettingsDoc> {
  constructor(@InjectModel(AiSettingsEntity.name) model: Model<AiSettingsDoc>, context: RequestContext) {
    super(model, context);
  }

  current(): Promise<AiSettingsDoc | null> {
    return this.findById(this.organizationId);
  }

  /** Creates or replaces the organization's settings (the caller has read them before). */
  async save(values: { autoApply: boolean; threshold: number }): Promise<void> {
    const updated = await this.updateById(this.organizationId, { $set: values });
    if (!updated) await this.create({ _id: this.organizationId, ...values });
  }
}

@Injectable()
export class AiSuggestionsRepository extends TenantRepository<AiSuggestionDoc> {
  constructor(@InjectModel(AiSuggestionEntity.name) model: Model<AiSuggestionDoc>, context: RequestContext) {
    super(model, context);
  }

  /** Stores suggestions; one already stored for a record (a retried listener) is kept. */
  async addSuggestions(
    docs: Omit<AiSuggestionDoc, 'organizationId' | 'createdAt' | 'updatedAt'>[],
  ): Promise<void> {
    if (!docs.length) return;
    const organizationId = this.organizationId;
    const outcome = await insertMany(
      this.model,
      docs.map((d) => ({ ...d, organizationId })),
      { ordered: false },
    );
    duplicatesOnly(outcome);
  }

  /** The suggestions of these records (each an `_id` equality). */
  byIds(ids: string[]): Promise<AiSuggestionDoc[]> {
    return byEachId(ids, (filter) => this.find(filter));
  }
}
