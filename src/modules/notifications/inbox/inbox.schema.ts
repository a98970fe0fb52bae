import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { declareCrossTenant } from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import { NOTIFICATION_KINDS, type NotificationKind } from '../notifications.contract';

export const EMAIL_STATES = ['none', 'held', 'digest', 'queued', 'digested', 'skipped'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];
export const WEBHOOK_STATES = ['none', 'held', 'sent', 'unavailable'] as const;
export type WebhookState = (typeof WEBHOOK_STATES)[number];

/**
 * One notification to one person about one occasion (a reminder lead, a bank import, a billing change), with its
 * channels' states. The in-app list shows it from `showFrom` when `inApp`; mail and webhook leave at `sendAt` (after
 * lead days and quiet hours), or the mail waits for the daily digest.
 */
@Schema({ collection: 'notifications', timestamps: true, versionKey: false, minimize: false })
export class NotificationEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) userId!: string;
  /** The organization it is about (null: about the person, the weekly summary); every read names the person too. */
  @Prop({ type: String, default: null }) organizationId!: string | null;
  @Prop({ type: String, enum: NOTIFICATION_KINDS, required: true }) kind!: NotificationKind;
  /** `<organizationId>:<occasion>:<slot>`: unique per person, so an occasion is told once whoever runs twice. */
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: String, required: true }) titleSv!: string;
  @Prop({ type: String, required: true }) titleEn!: string;
  @Prop({ type: String, required: true }) bodySv!: string;
  @Prop({ type: String, required: true }) bodyEn!: string;
  /** The record it is about, for the app to link to (`bill`, `bank_import`, …). */
  @Prop({ type: String, default: null }) sourceType!: string | null;
  @Prop({ type: String, default: null }) sourceId!: string | null;
  @Prop({ type: String, default: null }) dueDate!: string | null;
  @Prop({ type: Boolean, required: true }) inApp!: boolean;
  @Prop({ type: Date, required: true }) showFrom!: Date;
  @Prop({ type: Date, default: null }) readAt!: Date | null;
  @Prop({ type: String, enum: EMAIL_STATES, required: true }) email!: EmailState;
  @Prop({ type: String, enum: WEBHOOK_STATES, required: true }) webhook!: WebhookState;
  /** When it was created, by the app's Clock (the weekly summary counts by it). */
  @Prop({ type: Date, required: true }) notifiedAt!: Date;
  /** When held mail and webhook go out. */
  @Prop({ type: Date, required: true }) sendAt!: Date;
}
export type NotificationDoc = NotificationEntity & BaseDoc;
export const NotificationSchema = SchemaFactory.createForClass(NotificationEntity);
declareCrossTenant(
  NotificationSchema,
  "a person's notifications across their organizations: every read names the person (userId); the delivery scan reads held ones by state and time",
);
// Once per person and occasion: the insert that loses a race (or a rerun) gets a duplicate key and sends nothing.
NotificationSchema.index({ userId: 1, key: 1 }, { unique: true });
// The in-app list, newest first, and the unread count.
NotificationSchema.index({ userId: 1, createdAt: -1, _id: -1 });
NotificationSchema.index({ userId: 1, inApp: 1, readAt: 1 });
// The delivery scan (held mail and webhooks whose time has come) and the daily digest.
NotificationSchema.index({ email: 1, sendAt: 1 });
NotificationSchema.index({ webhook: 1, sendAt: 1 });
// The weekly summary: a person's notifications of the past week.
NotificationSchema.index({ userId: 1, notifiedAt: 1 });
