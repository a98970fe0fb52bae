import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RequestContext } from '../../../common/context/request-context';
import type { PageRequest } from '../../../infrastructure/mongo/pagination';
import { SoftDeleteTenantRepository } from '../../../infrastructure/mongo/repositories';
import {
  WebhookEndpointEntity,
  type DisabledReason,
  type EndpointSecret,
  type WebhookEndpointDoc,
} from './endpoints.schema';

export type EndpointChange = Partial<
  Pick<WebhookEndpointDoc, 'name' | 'urlCipher' | 'urlMasked' | 'format' | 'language' | 'eventTypes'>
>;

@Injectable()
export class EndpointsRepository extends SoftDeleteTenantRepository<WebhookEndpointDoc> {
  constructor(
    @InjectModel(WebhookEndpointEntity.name) model: Model<WebhookEndpointDoc>,
    context: RequestContext,
  ) {
    super(model, context);
  }

  list(page: PageRequest) {
    return this.page({}, page);
  }

  /**
   * The organization's enabled endpoints (named explicitly: the outbox listener also runs for audit entries written
   * outside a tenant context, e.g. the daily billing run). A handful per organization; filtered by type in code.
   */
  enabledOf(organizationId: string): Promise<WebhookEndpointDoc[]> {
    return this.findWhere({ organizationId, enabled: true, isDeleted: false });
  }

  change(id: string, change: EndpointChange) {
    return this.setFields(id, change);
  }

  setEnabled(id: string, enabled: boolean, reason: DisabledReason | null, at: Date | null) {
    return this.updateById(id, {
      $set: {
        enabled,
        disabledReason: reason,
        disabledAt: at,
        ...(enabled ? { failingSince: null } : {}),
      },
    });
  }

  setSecrets(id: string, secrets: EndpointSecret[]) {
    return this.updateById(id, { $set: { secrets } });
  }

  recordSuccess(id: string, at: Date) {
    return this.updateById(id, { $set: { lastSuccessAt: at, failingSince: null } });
  }

  /** Notes a failure; `failingSince` is kept from the first failure after the last success. */
  async recordFailure(id: string, at: Date, failingSince: Date | null) {
    return this.updateById(id, { $set: { lastFailureAt: at, failingSince: failingSince ?? at } });
  }
}
