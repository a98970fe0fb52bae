import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import { AppendOnlyTenantRepository } from '../../../infrastructure/mongo/repositories';
import { unlessTaken, TAKEN } from '../../../infrastructure/mongo/unique';
import { WebhookEventEntity, type WebhookEventDoc } from './events.schema';

@Injectable()
export class EventsRepository extends AppendOnlyTenantRepository<WebhookEventDoc> {
  constructor(@InjectModel(WebhookEventEntity.name) model: Model<WebhookEventDoc>, context: RequestContext) {
    super(model, context);
  }

  /**
   * Inserts the event, or answers the one stored earlier under the same key (a retried change, a rerun of the
   * reminder day): the outbox write is idempotent without transactions. The organization is named explicitly.
   */
  async addOnce(doc: WebhookEventDoc): Promise<WebhookEventDoc> {
    const created = await unlessTaken(() => this.insert(doc));
    if (created !== TAKEN) return created;
    const existing = await this.findOneWhere({ organizationId: doc.organizationId, key: doc.key });
    if (!existing) throw new Error(`webhook event ${doc.key} is taken but cannot be read`);
    return existing;
  }

  /** Events of one organization by id (the deliveries' payloads). */
  byIds(organizationId: string, ids: string[]): Promise<WebhookEventDoc[]> {
    return this.findWhere({ organizationId, _id: { $in: ids } });
  }
}
