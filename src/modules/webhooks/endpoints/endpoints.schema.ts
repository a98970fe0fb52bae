import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  softDeletePlugin,
  tenantScopedPlugin,
  type SoftDeleteFields,
} from '../../../infrastructure/mongo/plugins';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

export const ENDPOINT_FORMATS = ['json', 'discord', 'slack', 'home_assistant'] as const;
export const ENDPOINT_LANGUAGES = ['sv', 'en'] as const;
/** Why an endpoint is disabled: by a person, its receiver answered 410 Gone, or it failed for 5 days. */
export const DISABLED_REASONS = ['manual', 'gone', 'failing'] as const;
export type DisabledReason = (typeof DISABLED_REASONS)[number];

/** One signing secret (`whsec_…`), encrypted; a rotated-out one keeps signing until `expiresAt`. */
export interface EndpointSecret {
  id: string;
  cipher: string;
  createdAt: Date;
  expiresAt: Date | null;
}

@Schema({ collection: 'webhook_endpoints', timestamps: true, versionKey: false })
export class WebhookEndpointEntity {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) name!: string;
  /** The URL, encrypted (FieldCrypto, aad `webhook_endpoints.<id>.url`): its path often holds a token. */
  @Prop({ type: String, required: true }) urlCipher!: string;
  /** What people see of the URL (`maskUrl`). */
  @Prop({ type: String, required: true }) urlMasked!: string;
  @Prop({ type: String, required: true, enum: ENDPOINT_FORMATS }) format!: (typeof ENDPOINT_FORMATS)[number];
  /** Language of the texts in Discord, Slack and Home Assistant bodies. */
  @Prop({ type: String, required: true, enum: ENDPOINT_LANGUAGES })
  language!: (typeof ENDPOINT_LANGUAGES)[number];
  @Prop({ type: [String], required: true }) eventTypes!: string[];
  @Prop({ type: Boolean, required: true, default: true }) enabled!: boolean;
  @Prop({ type: String, default: null }) disabledReason!: DisabledReason | null;
  @Prop({ type: Date, default: null }) disabledAt!: Date | null;
  @Prop({
    type: [{ id: String, cipher: String, createdAt: Date, expiresAt: Date, _id: false }],
    required: true,
  })
  secrets!: EndpointSecret[];
  /** The first failed attempt since the last success: 5 days of failures disable the endpoint. */
  @Prop({ type: Date, default: null }) failingSince!: Date | null;
  @Prop({ type: Date, default: null }) lastSuccessAt!: Date | null;
  @Prop({ type: Date, default: null }) lastFailureAt!: Date | null;
  @Prop({ type: String, default: null }) createdBy!: string | null;
}
export type WebhookEndpointDoc = WebhookEndpointEntity &
  BaseDoc &
  SoftDeleteFields & { organizationId: string };
export const WebhookEndpointSchema = SchemaFactory.createForClass(WebhookEndpointEntity);
WebhookEndpointSchema.plugin(tenantScopedPlugin);
WebhookEndpointSchema.plugin(softDeletePlugin);
// GET /webhooks/endpoints (newest first) and the outbox's "who subscribes" read per audited change, by organization.
WebhookEndpointSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
