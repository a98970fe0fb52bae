import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RefreshTokenEntity } from './auth.schema';

@Injectable()
export class AuthRepository {
  constructor(
    @InjectModel(RefreshTokenEntity.name) private readonly refreshTokens: Model<RefreshTokenEntity>,
  ) {}

  async createRefreshToken(token: Omit<RefreshTokenEntity, 'createdAt' | 'revokedAt'>): Promise<void> {
    await this.refreshTokens.create({ ...token, revokedAt: null });
  }

  findRefreshToken(id: string): Promise<RefreshTokenEntity | null> {
    return this.refreshTokens.findById(id).lean<RefreshTokenEntity>().exec();
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.refreshTokens
      .updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } })
      .exec();
  }

  async revokeAllForUser(userId: string): Promise<void> {
    await this.refreshTokens
      .updateMany({ userId, revokedAt: null }, { $set: { revokedAt: new Date() } })
      .exec();
  }
}
