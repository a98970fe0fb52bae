import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { formatGlobalId } from './global-id';
import { isDuplicateKey } from './unique';

interface BlockDoc {
  _id: number; // first number of the block
  end: number; // first number after the block
  at: Date;
}
interface StateDoc {
  _id: string;
  end?: number;
  prefix?: string;
}

const MAX_BLOCK = 100_000;
const MAX_ATTEMPTS = 1_000;

/**
 * Hands out the global id sequence without ever giving a number twice, across any number of processes, on MongoDB
 * and on FerretDB (whose `$inc` is read-modify-write and can lose updates, so a counter cannot be trusted).
 *
 * Every allocation is a block `[start, end)` claimed by *inserting* `{_id: start, end}` into `global_id_blocks`.
 * A block always starts where an existing block ends, and `_id` is unique, so the blocks form one chain without
 * overlaps: a claimer holding a stale position collides with the block already there (11000), jumps to that
 * block's end (or to the shared hint, whichever is further) and tries again. The hint (`global_id_state.head`)
 * is only a shortcut; losing an update to it costs a retry, never a duplicate. A crash between claim and use
 * leaves a gap, which is allowed.
 *
 * This file is the one place besides repositories that touches the driver: it is infrastructure, not a feature.
 */
@Injectable()
export class GlobalIdService implements OnModuleInit {
  private position: number | undefined;
  /** Claims of this process run one after another: they would only collide with each other in the database. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get blocks(): Collection<BlockDoc> {
    return this.connection.collection<BlockDoc>('global_id_blocks');
  }
  private get state(): Collection<StateDoc> {
    return this.connection.collection<StateDoc>('global_id_state');
  }

  /** The prefix is part of every id already handed out: refuse to start if the configuration changed it. */
  async onModuleInit(): Promise<void> {
    const prefix = this.config.globalIdPrefix;
    try {
      await this.state.insertOne({ _id: 'prefix', prefix });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const stored = await this.state.findOne({ _id: 'prefix' });
    if (stored?.prefix !== prefix) {
      throw new Error(
        `GLOBAL_ID_PREFIX is "${prefix}" but this database already uses "${stored?.prefix}": ids never change prefix silently`,
      );
    }
  }

  async getNextGlobalId(): Promise<string> {
    const start = await this.claim(1);
    return formatGlobalId(this.config.globalIdPrefix, start);
  }

  /** Reserves `count` consecutive ids; uncontended this is one insert (one round trip) plus the hint update. */
  async reserveGlobalIds(count: number): Promise<string[]> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_BLOCK) {
      throw new RangeError(`Can reserve 1–${MAX_BLOCK} ids at a time, not ${count}`);
    }
    const start = await this.claim(count);
    return Array.from({ length: count }, (_, i) => formatGlobalId(this.config.globalIdPrefix, start + i));
  }

  private claim(count: number): Promise<number> {
    const next = this.queue.then(() => this.claimNow(count));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async claimNow(count: number): Promise<number> {
    let position = this.position ?? (await this.readHint());
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        await this.blocks.insertOne({ _id: position, end: position + count, at: new Date() });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        position = await this.skipPast(position);
        continue;
      }
      const end = position + count;
      this.position = end;
      await this.moveHint(end);
      return position;
    }
    throw new Error('Could not claim a global id block: too much contention');
  }

  /** Two first-ever upserts can race on the missing hint document; the loser just updates the winner's. */
  private async moveHint(end: number): Promise<void> {
    try {
      await this.state.updateOne({ _id: 'head' }, { $set: { end } }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.state.updateOne({ _id: 'head' }, { $set: { end } });
    }
  }

  private async readHint(): Promise<number> {
    return (await this.state.findOne({ _id: 'head' }))?.end ?? 1;
  }

  /** `position` is taken: move to the end of the block there, or to the hint if that is further along. */
  private async skipPast(position: number): Promise<number> {
    const [block, hint] = await Promise.all([this.blocks.findOne({ _id: position }), this.readHint()]);
    return Math.max(block?.end ?? position, hint);
  }
}
