import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { tenantScopedPlugin } from '../../../infrastructure/mongo/plugins';

/**
 * The outbox: one event as it happened (an audited change, a due reminder, a published event), written in the same
 * call as the change. Never changed afterwards; its deliveries (one per subscribed endpoint) carry the state.
 */
@Schema({ collection: 'webhook_events', timestamps: false, versionKey: false })
export class WebhookEventEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** Idempotency key (`audit-<entry id>`, `reminder-<id>-<lead>`, `publish-<key>`): a retry finds the event. */
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: String, required: true }) type!: string;
  @Prop({ type: Object, required: true }) data!: Record<string, unknown>;
  @Prop({ type: Date, required: true }) occurredAt!: Date;
  /** Deliveries with the same order key (a record) go out one after the other; null: no order. */
  @Prop({ type: String, default: null }) orderKey!: string | null;
  /** Order within the order key (the audit chain's seq for record events). */
  @Prop({ type: Number, required: true }) seq!: number;
}
export type WebhookEventDoc = WebhookEventEntity & { organizationId: string };
export const WebhookEventSchema = SchemaFactory.createForClass(WebhookEventEntity);
WebhookEventSchema.plugin(tenantScopedPlugin);
// The idempotent insert: one event per organization and key (a retried change or reminder run finds it).
WebhookEventSchema.index({ organizationId: 1, key: 1 }, { unique: true });
// Retention: an organization's events older than the retention, oldest first.
WebhookEventSchema.index({ organizationId: 1, occurredAt: 1 });
