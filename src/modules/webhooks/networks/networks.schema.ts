import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { BaseDoc } from '../../../infrastructure/mongo/repositories';

/** A network platform admins allow webhook deliveries to reach although it is not public (a LAN Home Assistant). */
@Schema({ collection: 'webhook_allowed_networks', timestamps: true, versionKey: false })
export class AllowedNetworkEntity {
  /** The normalized CIDR (`192.168.1.20/32`): unique by construction. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, default: null }) note!: string | null;
  @Prop({ type: String, default: null }) createdBy!: string | null;
}
export type AllowedNetworkDoc = AllowedNetworkEntity & BaseDoc;
export const AllowedNetworkSchema = SchemaFactory.createForClass(AllowedNetworkEntity);
