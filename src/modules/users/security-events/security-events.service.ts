import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../../../common/context/request-context';
import { Clock } from '../../../infrastructure/clock/clock';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { SecurityEventsRepository } from './security-events.repository';
import type { SecurityEventDoc, SecurityEventType } from './security-events.schema';

/** Kept per user: the newest this many events, none older than SECURITY_EVENTS_MAX_AGE_DAYS. */
export const SECURITY_EVENTS_KEPT = 200;
export const SECURITY_EVENTS_MAX_AGE_DAYS = 365;
const MAX_USER_AGENT = 256;

export interface SecurityEventView {
  id: string;
  type: SecurityEventType;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, string | number | boolean>;
}

/**
 * The per-user security log: sign-ins, failed sign-ins, locks, password resets and changes, verification. The user
 * reads their own (`GET /me/security-events`), platform admins anyone's (`GET /admin/users/:id/security-events`);
 * no organization ever sees them. Request id, IP and user agent come from the request context.
 */
@Injectable()
export class SecurityEventsService {
  constructor(
    private readonly events: SecurityEventsRepository,
    private readonly context: RequestContext,
    private readonly clock: Clock,
  ) {}

  async record(
    userId: string,
    type: SecurityEventType,
    metadata: Record<string, string | number | boolean> = {},
  ): Promise<void> {
    await this.events.add({
      _id: randomUUID(),
      userId,
      type,
      ip: this.context.ip ?? null,
      userAgent: this.context.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      requestId: this.context.requestId ?? null,
      metadata,
    });
    const cutoff = new Date(this.clock.now().getTime() - SECURITY_EVENTS_MAX_AGE_DAYS * 24 * 3600 * 1000);
    await this.events.prune(userId, SECURITY_EVENTS_KEPT, cutoff);
  }

  async list(userId: string, page: PageRequest): Promise<Page<SecurityEventView>> {
    const result = await this.events.page(userId, page);
    return { items: result.items.map(view), nextCursor: result.nextCursor };
  }
}

function view(event: SecurityEventDoc): SecurityEventView {
  return {
    id: event._id,
    type: event.type,
    at: event.createdAt,
    ip: event.ip,
    userAgent: event.userAgent,
    requestId: event.requestId,
    metadata: event.metadata ?? {},
  };
}
