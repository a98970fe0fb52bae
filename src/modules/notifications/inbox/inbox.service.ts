import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import type { PageRequest } from '../../../infrastructure/mongo/pagination';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import type { NotificationKind } from '../notifications.contract';
import { MEMBERS, type MembersForNotifications } from '../ports';
import { NotificationsRepository, type InboxFilter } from './inbox.repository';
import type { NotificationDoc } from './inbox.schema';

export const NOTIFICATION_RECORD_TYPE = 'notification';

export interface NotificationView {
  id: string;
  organizationId: string | null;
  kind: NotificationKind;
  title: string;
  body: string;
  titles: { sv: string; en: string };
  sourceType: string | null;
  sourceId: string | null;
  dueDate: string | null;
  read: boolean;
  readAt: Date | null;
  createdAt: Date;
}

const view = (n: NotificationDoc, locale: 'sv' | 'en'): NotificationView => ({
  id: n._id,
  organizationId: n.organizationId,
  kind: n.kind,
  title: locale === 'en' ? n.titleEn : n.titleSv,
  body: locale === 'en' ? n.bodyEn : n.bodySv,
  titles: { sv: n.titleSv, en: n.titleEn },
  sourceType: n.sourceType,
  sourceId: n.sourceId,
  dueDate: n.dueDate,
  read: n.readAt !== null,
  readAt: n.readAt,
  createdAt: n.createdAt,
});

/**
 * The in-app list: a person's own notifications, of the organizations they belong to now (someone who left an
 * organization no longer sees its notifications), newest first. Someone else's notification is the same 404 as a
 * missing one. Reading and marking read work in read-only organizations too: they change nothing of the
 * organization's.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly notifications: NotificationsRepository,
    @Inject(MEMBERS) private readonly members: MembersForNotifications,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly context: RequestContext,
    private readonly clock: Clock,
  ) {}

  async list(
    query: { unread?: boolean; kind?: NotificationKind; organizationId?: string; locale?: 'sv' | 'en' },
    page: PageRequest,
  ) {
    const filter = await this.filter(query.organizationId, { unread: query.unread, kind: query.kind });
    const userId = filter.userId;
    const locale = query.locale ?? (await this.users.findById(userId))?.preferences.ui.locale ?? 'sv';
    const [result, unread] = await Promise.all([
      this.notifications.page(filter, page),
      this.notifications.countUnread(filter),
    ]);
    return { items: result.items.map((n) => view(n, locale)), nextCursor: result.nextCursor, unread };
  }

  async unreadCount(organizationId?: string): Promise<{ unread: number }> {
    return { unread: await this.notifications.countUnread(await this.filter(organizationId)) };
  }

  async markRead(id: string): Promise<NotificationView> {
    const userId = this.context.requireActor().userId;
    const found = await this.notifications.findMine(userId, id);
    const mine = await this.organizationIds(userId);
    if (
      !found ||
      !found.inApp ||
      !mine.includes(found.organizationId ?? '') ||
      found.showFrom > this.clock.now()
    )
      throw notFound(NOTIFICATION_RECORD_TYPE);
    const read = found.readAt ? found : await this.notifications.markRead(userId, id, this.clock.now());
    if (!read) throw notFound(NOTIFICATION_RECORD_TYPE);
    const locale = (await this.users.findById(userId))?.preferences.ui.locale ?? 'sv';
    return view(read, locale);
  }

  async markAllRead(organizationId?: string): Promise<{ marked: number; unread: number }> {
    const filter = await this.filter(organizationId);
    const marked = await this.notifications.markAllRead(filter, this.clock.now());
    return { marked, unread: await this.notifications.countUnread(filter) };
  }

  private async organizationIds(userId: string): Promise<string[]> {
    return (await this.members.listForUser(userId)).map((o) => o.id);
  }

  /** The person's visible notifications; an organization they are not in is the same 404 as a missing one. */
  private async filter(
    organizationId: string | undefined,
    extra: Partial<InboxFilter> = {},
  ): Promise<InboxFilter> {
    const userId = this.context.requireActor().userId;
    const mine = await this.organizationIds(userId);
    if (organizationId && !mine.includes(organizationId)) throw notFound('organization');
    return {
      userId,
      organizationIds: organizationId ? [organizationId] : mine,
      now: this.clock.now(),
      ...extra,
    };
  }
}
