import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/** One database round trip (`ping`), for latency checks outside the infrastructure (modules/system). */
@Injectable()
export class DatabasePing {
  constructor(@InjectConnection() private readonly mongo: Connection) {}

  async ping(): Promise<void> {
    await this.mongo.db!.admin().ping();
  }
}
