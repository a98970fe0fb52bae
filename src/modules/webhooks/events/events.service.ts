import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { catalogue, type EventTypeView } from '../common/event-catalogue';
import { messageIdOf } from '../deliveries/deliveries.service';
import { WEBHOOKS_RECORD_TYPES } from '../webhooks.records';
import { EventsRepository } from './events.repository';

/** The event catalogue, and one stored event in full (where a trimmed payload's `href` leads). */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly context: RequestContext,
  ) {}

  catalogue(): EventTypeView[] {
    return catalogue();
  }

  async get(id: string) {
    const { organizationId } = this.context.requireTenant();
    const [event] = await this.events.byIds(organizationId, [id]);
    if (!event) throw notFound(WEBHOOKS_RECORD_TYPES.event);
    return {
      id: event._id,
      messageId: messageIdOf(event._id),
      type: event.type,
      occurredAt: event.occurredAt,
      data: event.data,
    };
  }
}
