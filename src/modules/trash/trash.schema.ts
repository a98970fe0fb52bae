import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { BaseDoc } from '../../infrastructure/mongo/repositories';
import { tenantScopedPlugin } from '../../infrastructure/mongo/plugins';

export const TRASH_COLLECTION = 'trash_items';

const RecordRefSchema = new MongooseSchema(
  { type: { type: String, required: true }, id: { type: String, required: true } },
  { _id: false },
);

/**
 * The trash index: one small document per record the user deleted (not per record cascaded with it), so the trash
 * list of every type is one query on one collection. `_id` is the deleted record's global id. Written on delete,
 * removed on restore and purge; the record itself stays in its own collection with the generic soft-delete fields.
 *
 * `createdAt` is the time of deletion taken from the Clock (no Mongoose timestamps), which lets the shared
 * newest-first cursor pagination order the trash by deletion time.
 */
@Schema({ collection: TRASH_COLLECTION, versionKey: false, timestamps: false, id: false })
export class TrashItemEntity {
  @Prop({ type: String, required: true }) _id!: string;
  /** Registered record type (`upload`, …). */
  @Prop({ type: String, required: true }) type!: string;
  /** What it was, as the user knew it (a name, a file name), taken at deletion. */
  @Prop({ type: String, required: true }) label!: string;
  @Prop({ type: Date, required: true }) deletedAt!: Date;
  @Prop({ type: String, required: true }) deletedBy!: string;
  /** deletedAt + the deleting user's `preferences.trash.retentionDays`; the retention job purges after this. */
  @Prop({ type: Date, required: true }) purgeAt!: Date;
  /** Records that went to the trash with this one (they come back with it, and only they). */
  @Prop({ type: [RecordRefSchema], default: [] })
  cascaded!: Array<{ type: string; id: string }>;
  /** The ids of `cascaded`, for "is this record in the trash, on its own or with another one" lookups. */
  @Prop({ type: [String], default: [] }) cascadedIds!: string[];
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, required: true }) updatedAt!: Date;
}

export type TrashItemDoc = TrashItemEntity & BaseDoc & { organizationId: string };

export const TrashItemSchema = SchemaFactory.createForClass(TrashItemEntity);
TrashItemSchema.plugin(tenantScopedPlugin);
// GET /trash: the organization's items, newest first (cursor on createdAt, _id)
TrashItemSchema.index({ organizationId: 1, createdAt: -1, _id: -1 });
// GET /trash?type=
TrashItemSchema.index({ organizationId: 1, type: 1, createdAt: -1, _id: -1 });
// restore: is the parent in the trash because it went there with another record?
TrashItemSchema.index({ organizationId: 1, cascadedIds: 1 });
// retention job: items due for purge, across organizations
TrashItemSchema.index({ purgeAt: 1 });
