import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../mongo/unique';
import { OneTimeTokenEntity, TokenUseEntity, type OneTimePurpose } from './tokens.schema';

@Injectable()
export class TokensRepository {
  constructor(
    @InjectModel(OneTimeTokenEntity.name) private readonly tokens: Model<OneTimeTokenEntity>,
    @InjectModel(TokenUseEntity.name) private readonly uses: Model<TokenUseEntity>,
  ) {}

  /** True the first time `key` is spent, false every time after (atomic through the unique `_id`). */
  async spend(key: string): Promise<boolean> {
    try {
      await this.uses.create({ _id: key, at: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async isSpent(key: string): Promise<boolean> {
    return (await this.uses.countDocuments({ _id: key }).exec()) > 0;
  }

  async create(token: Omit<OneTimeTokenEntity, 'createdAt'>): Promise<void> {
    await this.tokens.create(token);
  }

  find(hash: string, purpose: OneTimePurpose): Promise<OneTimeTokenEntity | null> {
    return this.tokens.findOne({ _id: hash, purpose }).lean<OneTimeTokenEntity>().exec();
  }
}
