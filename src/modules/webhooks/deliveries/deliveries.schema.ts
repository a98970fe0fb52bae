import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { declareCrossTenant } from '../../../infrastructure/mongo/plugins';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One HTTP attempt of a delivery, as the delivery log shows it. */
export interface DeliveryAttempt {
  n: number;
  at: Date;
  /** The HTTP status, null when no answer came (timeout, refused, SSRF guard). */
  statusCode: number | null;
  durationMs: number;
  /** What went wrong (`timeout`, `refused: private`, `HTTP 500`), null on success. */
  error: string | null;
  /** The first 512 characters of the answer's body. */
  response: string | null;
}

/**
 * One event to one endpoint: the retry state (`attempts`, `nextAttemptAt`, compared with the Clock by the
 * dispatcher) and the attempt log.
 */
@Schema({ collection: 'webhook_deliveries', timestamps: true, versionKey: false })
export class WebhookDeliveryEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) organizationId!: string;
  @Prop({ type: String, required: true }) endpointId!: string;
  @Prop({ type: String, required: true }) eventId!: string;
  @Prop({ type: String, required: true }) eventType!: string;
  @Prop({ type: Date, required: true }) occurredAt!: Date;
  @Prop({ type: String, default: null }) orderKey!: string | null;
  @Prop({ type: Number, required: true }) seq!: number;
  @Prop({ type: String, required: true, enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  /** Attempts of the current round (a replay starts a new round at 0); the schedule counts these. */
  @Prop({ type: Number, required: true, default: 0 }) attempts!: number;
  /** When the next attempt is due (Clock time); while an attempt runs, the end of its lease. */
  @Prop({ type: Date, default: null }) nextAttemptAt!: Date | null;
  /** The current attempt's claim: only the job carrying it may record the attempt. */
  @Prop({ type: String, default: null }) claim!: string | null;
  @Prop({ type: Number, default: null }) lastStatusCode!: number | null;
  @Prop({ type: String, default: null }) lastError!: string | null;
  @Prop({ type: Date, default: null }) deliveredAt!: Date | null;
  @Prop({
    type: [
      {
        n: Number,
        at: Date,
        statusCode: Number,
        durationMs: Number,
        error: String,
        response: String,
        _id: false,
      },
    ],
    default: [],
  })
  log!: DeliveryAttempt[];
}
export type WebhookDeliveryDoc = WebhookDeliveryEntity & { createdAt: Date; updatedAt: Date };
export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDeliveryEntity);
declareCrossTenant(
  WebhookDeliverySchema,
  'the dispatcher finds due deliveries of every organization (one query by status); every API read and write in ' +
    'DeliveriesRepository names the organization',
);
// Fan-out is idempotent: one delivery per event and endpoint.
WebhookDeliverySchema.index({ eventId: 1, endpointId: 1 }, { unique: true });
// The dispatcher: pending deliveries due by the Clock, in event order.
WebhookDeliverySchema.index({ status: 1, nextAttemptAt: 1, seq: 1 });
// The delivery log of an endpoint, newest first; replay since a time; the order check of one record's deliveries.
WebhookDeliverySchema.index({ organizationId: 1, endpointId: 1, createdAt: -1, _id: -1 });
