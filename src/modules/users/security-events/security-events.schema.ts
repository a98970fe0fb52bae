import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Stored and filtered on: never rename one, add a new member instead. */
export const SECURITY_EVENT_TYPES = [
  'registered',
  'email_verified',
  'login',
  'login_failed',
  'logout',
  'refresh_reused',
  'password_reset_requested',
  'password_reset',
  'password_changed',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/**
 * One sign-in related event of one user (platform data, not tenant data: it belongs to the person, not to any of
 * their organizations). Bounded per user: the newest SECURITY_EVENTS_KEPT, none older than a year — pruned on write,
 * as FerretDB has no TTL indexes.
 */
@Schema({
  collection: 'security_events',
  timestamps: { createdAt: true, updatedAt: false },
  versionKey: false,
  minimize: false,
})
export class SecurityEventEntity {
  /** A random UUID: anonymous callers cause these (failed logins), so they must not use up global ids. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) userId!: string;
  @Prop({ type: String, required: true, enum: SECURITY_EVENT_TYPES }) type!: SecurityEventType;
  @Prop({ type: String, default: null }) ip!: string | null;
  @Prop({ type: String, default: null }) userAgent!: string | null;
  @Prop({ type: String, default: null }) requestId!: string | null;
  /** Small facts of the event (a lock's seconds, a refresh family id); never a secret. */
  @Prop({ type: Object, default: {} }) metadata!: Record<string, string | number | boolean>;
  createdAt!: Date;
}

export type SecurityEventDoc = SecurityEventEntity;

export const SecurityEventSchema = SchemaFactory.createForClass(SecurityEventEntity);
// a user's events newest first (GET /me/security-events, the admin view) and the pruning of the oldest
SecurityEventSchema.index({ userId: 1, createdAt: -1, _id: -1 });
