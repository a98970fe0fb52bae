import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';
import type { NotificationChannel, NotificationKind } from '../notifications.contract';

/** One kind as a person set it; a field left out follows the default (settings.rules.ts). */
export interface StoredKindSetting {
  enabled?: boolean;
  channels?: NotificationChannel[];
  leadDays?: number[] | null;
  delivery?: 'instant' | 'digest';
}

/**
 * A person's notification settings, in every organization they belong to; `_id` is the user id. Written as a whole
 * document (upsert on `_id`): the settings change a few times a year and are small.
 */
@Schema({ collection: 'notification_settings', timestamps: true, versionKey: false, minimize: false })
export class NotificationSettingsEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: Object, default: {} }) kinds!: Partial<Record<NotificationKind, StoredKindSetting>>;
  /** Stockholm wall-clock `HH:MM` pair, or null: no quiet hours. */
  @Prop({ type: Object, default: null }) quietHours!: { start: string; end: string } | null;
  /** Admin mass mails (announcements); the unsubscribe link turns this off. */
  @Prop({ type: Boolean, default: true }) announcements!: boolean;
}
export type NotificationSettingsDoc = NotificationSettingsEntity & BaseDoc;
export const NotificationSettingsSchema = SchemaFactory.createForClass(NotificationSettingsEntity);
