import { createZodDto, fitsView } from '../../../common/http/zod';
import type { NotificationView } from './inbox.service';
import { z } from 'zod';
import { pageQuery, recordId } from '../../../common/http/zod';
import { NOTIFICATION_KINDS } from '../notifications.contract';

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export class ListNotificationsQueryDto extends createZodDto(
  pageQuery.extend({
    unread: booleanQuery.optional().describe('true: only unread ones'),
    kind: z.enum(NOTIFICATION_KINDS).optional(),
    organizationId: recordId.optional().describe('Only this organization’s (default: all of yours)'),
    locale: z.enum(['sv', 'en']).optional().describe('Language of title and body (default: yours)'),
  }),
) {}

export class ScopeQueryDto extends createZodDto(
  z.strictObject({
    organizationId: recordId.optional().describe('Only this organization’s (default: all of yours)'),
  }),
) {}

const notification = fitsView<NotificationView>()(
  z
    .object({
      id: z.string(),
      organizationId: z.string().nullable(),
      kind: z.enum(NOTIFICATION_KINDS),
      title: z.string(),
      body: z.string(),
      titles: z.object({ sv: z.string(), en: z.string() }),
      sourceType: z.string().nullable(),
      sourceId: z.string().nullable(),
      dueDate: z.string().nullable(),
      read: z.boolean(),
      readAt: z.iso.datetime().nullable(),
      createdAt: z.iso.datetime(),
    })
    .meta({
      example: {
        id: 'A000231',
        organizationId: 'A000002',
        kind: 'bill_due',
        title: 'Elräkning Vattenfall förfaller 2026-12-10',
        body: 'Elräkning Vattenfall förfaller 2026-12-10 (1 234,00 kr).',
        titles: {
          sv: 'Elräkning Vattenfall förfaller 2026-12-10',
          en: 'Electricity bill Vattenfall due 2026-12-10',
        },
        sourceType: 'bill',
        sourceId: 'A000120',
        dueDate: '2026-12-10',
        read: false,
        readAt: null,
        createdAt: '2026-12-03T05:00:02.000Z',
      },
    }),
);
export class NotificationResponseDto extends createZodDto(notification) {}
export class NotificationPageResponseDto extends createZodDto(
  z.object({ items: z.array(notification), nextCursor: z.string().nullable(), unread: z.number().int() }),
) {}
export class UnreadCountResponseDto extends createZodDto(
  z.object({ unread: z.number().int() }).meta({ example: { unread: 3 } }),
) {}
export class MarkedReadResponseDto extends createZodDto(
  z
    .object({ marked: z.number().int(), unread: z.number().int() })
    .meta({ example: { marked: 3, unread: 0 } }),
) {}
