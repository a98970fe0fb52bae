import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { BaseRepository } from '../../../infrastructure/mongo/repositories';
import { unlessTaken, type Taken } from '../../../infrastructure/mongo/unique';
import { AllowedNetworkEntity, type AllowedNetworkDoc } from './networks.schema';

/** Platform data: the admins' allow-list of networks (no organization). */
@Injectable()
export class NetworksRepository extends BaseRepository<AllowedNetworkDoc> {
  constructor(@InjectModel(AllowedNetworkEntity.name) model: Model<AllowedNetworkDoc>) {
    super(model);
  }

  all(): Promise<AllowedNetworkDoc[]> {
    return this.findWhere({}, { sort: { _id: 1 }, limit: 1_000 });
  }

  add(cidr: string, note: string | null, createdBy: string | null): Promise<AllowedNetworkDoc | Taken> {
    return unlessTaken(() => this.insert({ _id: cidr, note, createdBy }));
  }

  async remove(cidr: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: cidr }).exec();
    return result.deletedCount > 0;
  }
}
