import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { duplicatesOnly, insertMany } from '../../../infrastructure/mongo/bulk-writes';
import type { Page, PageRequest } from '../../../infrastructure/mongo/pagination';
import { BaseRepository } from '../../../infrastructure/mongo/repositories';
import {
  WebhookDeliveryEntity,
  type DeliveryAttempt,
  type DeliveryStatus,
  type WebhookDeliveryDoc,
} from './deliveries.schema';

export type NewDelivery = Omit<WebhookDeliveryDoc, 'createdAt' | 'updatedAt'>;

/** What an attempt changes on its delivery. */
export interface AttemptOutcome {
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}

/**
 * Deliveries are read across organizations by the dispatcher only (`due`, `pendingOf`); every other method names
 * its organization (the schema is declared cross-tenant for that one query).
 */
@Injectable()
export class DeliveriesRepository extends BaseRepository<WebhookDeliveryDoc> {
  constructor(@InjectModel(WebhookDeliveryEntity.name) model: Model<WebhookDeliveryDoc>) {
    super(model);
  }

  /**
   * Inserts the fan-out of one event; deliveries that exist already (a retried fan-out) are left as they are.
   * `now` is the Clock's (the log's order and the replay's "since" follow the Clock).
   */
  async addMany(docs: NewDelivery[], now: Date): Promise<number> {
    const outcome = await insertMany(
      this.model,
      docs.map((d) => ({ ...d, createdAt: now, updatedAt: now })),
      { ordered: false, lean: true },
    );
    duplicatesOnly(outcome);
    return outcome.inserted;
  }

  /** Pending deliveries due at `now` (Clock time), oldest event first: the dispatcher's one cross-tenant read. */
  due(now: Date, limit: number): Promise<WebhookDeliveryDoc[]> {
    return this.findWhere(
      { status: 'pending', nextAttemptAt: { $lte: now } },
      { sort: { seq: 1, _id: 1 }, limit },
    );
  }

  /** Pending deliveries of these order keys (due or waiting): an ordered delivery goes only when it is the first. */
  pendingOf(
    orderKeys: string[],
  ): Promise<Pick<WebhookDeliveryDoc, '_id' | 'endpointId' | 'orderKey' | 'seq'>[]> {
    if (!orderKeys.length) return Promise.resolve([]);
    return this.model
      .find(
        { status: 'pending', orderKey: { $in: orderKeys } },
        { _id: 1, endpointId: 1, orderKey: 1, seq: 1 },
      )
      .lean<Pick<WebhookDeliveryDoc, '_id' | 'endpointId' | 'orderKey' | 'seq'>[]>()
      .exec();
  }

  /**
   * Takes a due delivery for one attempt: only when it is still pending with the due time the dispatcher read, it
   * gets `claim` and a lease (`nextAttemptAt` = the lease's end, so a worker that dies mid-attempt leaves it due
   * again). False when another dispatcher took it first.
   */
  async claim(id: string, dueAt: Date, claim: string, leaseUntil: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, status: 'pending', nextAttemptAt: dueAt },
        { $set: { claim, nextAttemptAt: leaseUntil } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  findFor(organizationId: string, id: string): Promise<WebhookDeliveryDoc | null> {
    return this.findOneWhere({ _id: id, organizationId });
  }

  /** Records an attempt of the claim's holder; false when the claim is no longer the delivery's (a replay). */
  async recordAttempt(
    organizationId: string,
    id: string,
    claim: string,
    outcome: AttemptOutcome,
    attempt: DeliveryAttempt,
  ): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, organizationId, claim },
        { $set: { ...outcome, claim: null }, $push: { log: attempt } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** An endpoint's deliveries, newest first, optionally one status. */
  pageFor(
    organizationId: string,
    endpointId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<WebhookDeliveryDoc>> {
    return this.pageWhere({ organizationId, endpointId, ...(status ? { status } : {}) }, page);
  }

  /** Sends one delivery again from the start of the schedule (a new round). */
  async replayOne(organizationId: string, id: string, now: Date): Promise<boolean> {
    const result = await this.model
      .updateOne(
        { _id: id, organizationId },
        { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, claim: null } },
      )
      .exec();
    return result.matchedCount === 1;
  }

  /** Sends again every delivery of the endpoint whose event happened since `since` and is in one of `statuses`. */
  async replaySince(
    organizationId: string,
    endpointId: string,
    since: Date,
    statuses: DeliveryStatus[],
    now: Date,
  ): Promise<number> {
    const result = await this.model
      .updateMany(
        { organizationId, endpointId, status: { $in: statuses }, occurredAt: { $gte: since } },
        { $set: { status: 'pending', attempts: 0, nextAttemptAt: now, claim: null } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** A disabled endpoint's pending deliveries fail at once (a replay sends them once it is enabled again). */
  async failPending(organizationId: string, endpointId: string, error: string): Promise<number> {
    const result = await this.model
      .updateMany(
        { organizationId, endpointId, status: 'pending' },
        { $set: { status: 'failed', nextAttemptAt: null, claim: null, lastError: error } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** Pending deliveries (all organizations, or one): how many, and the oldest event's time. */
  async pendingSummary(organizationId?: string): Promise<{ count: number; oldest: Date | null }> {
    const filter = { status: 'pending' as const, ...(organizationId ? { organizationId } : {}) };
    const [count, oldest] = await Promise.all([
      this.countWhere(filter),
      this.findWhere(filter, { sort: { occurredAt: 1 }, limit: 1 }),
    ]);
    return { count, oldest: oldest[0]?.occurredAt ?? null };
  }

  /** Endpoints (all organizations) with a pending delivery that failed at least once; reads at most 5 000 rows. */
  async failingEndpoints(): Promise<number> {
    const rows = await this.model
      .find({ status: 'pending', attempts: { $gt: 0 } }, { endpointId: 1 })
      .limit(5_000)
      .lean<{ endpointId: string }[]>()
      .exec();
    return new Set(rows.map((r) => r.endpointId)).size;
  }
}
