import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PLATFORM_ROLES, type PlatformRole } from '../../common/auth/roles';
import type { BaseDoc } from '../../infrastructure/mongo/repositories';
import { softDeletePlugin, type SoftDeleteFields } from '../../infrastructure/mongo/plugins';
import type { Preferences } from './preferences';

@Schema({ collection: 'users', timestamps: true, versionKey: false })
export class UserEntity {
  @Prop({ type: String, required: true })
  _id!: string;

  /** Lower-cased at the edge; unique across the platform (deleted users keep theirs so they can be restored). */
  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, required: true })
  name!: string;

  /** Until the address is verified: the hash of the password given at registration, never accepted for sign-in. */
  @Prop({ type: String, required: true })
  passwordHash!: string;

  @Prop({ type: String, enum: PLATFORM_ROLES, default: 'user' })
  role!: PlatformRole;

  @Prop({ type: Boolean, default: false })
  emailVerified!: boolean;

  @Prop({ type: Object, required: true })
  preferences!: Preferences;

  @Prop({ type: String, default: null })
  defaultOrganizationId!: string | null;

  /** Personnummer, AES-256-GCM encrypted (FieldCrypto), bound to this user's id. */
  @Prop({ type: String, default: null })
  personalIdentityNumberEnc!: string | null;

  /** Carried in access tokens; bumping it (password reset/change) makes every issued access token invalid. */
  @Prop({ type: Number, default: 0 })
  tokenVersion!: number;
}

export type UserDoc = UserEntity & BaseDoc & SoftDeleteFields;

export const UserSchema = SchemaFactory.createForClass(UserEntity);
UserSchema.plugin(softDeletePlugin);
// login, registration and admin search by email
UserSchema.index({ email: 1 }, { unique: true });
