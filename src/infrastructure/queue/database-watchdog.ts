import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { answersWithin, READINESS_TIMEOUT_MS } from '../health/readiness';
import {
  pausedMessage,
  resumedMessage,
  WatchdogStateMachine,
  type WorkersState,
} from './database-watchdog.state';

/** How often the worker pings the database. A stuck database pauses the workers within this plus the timeout. */
export const WATCHDOG_INTERVAL_MS = 2_000;

/**
 * Worker roles only. Pings the database every WATCHDOG_INTERVAL_MS; a ping without an answer within the readiness
 * timeout (a stuck or unreachable database) pauses this process's BullMQ workers — locally, other workers and the
 * queue are untouched — so they stop taking jobs that would only hang on the database, and the first answer resumes
 * them. Each change is logged once. At most one ping is outstanding: a ping still hanging counts as another failure
 * instead of piling up more.
 */
@Injectable()
export class DatabaseWatchdog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseWatchdog');
  private readonly machine = new WatchdogStateMachine();
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly discovery: DiscoveryService,
  ) {}

  /** `paused` while the database does not answer pings: no new job is taken. */
  get workers(): WorkersState {
    return this.machine.state;
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.check().finally(() => this.schedule());
    }, WATCHDOG_INTERVAL_MS);
  }

  /** One ping and whatever it decides. Never throws. */
  async check(): Promise<void> {
    const answered = this.pending ? false : await answersWithin(() => this.ping(), READINESS_TIMEOUT_MS);
    if (this.stopped) return;
    const now = Date.now();
    const pausedForMs = this.machine.pausedForMs(now);
    const action = this.machine.observe(answered, now);
    if (action === 'pause') {
      this.logger.warn(pausedMessage(READINESS_TIMEOUT_MS));
      await Promise.all(this.hosts().map((host) => host.worker.pause(true))).catch((error: unknown) =>
        this.logger.error({ err: error }, 'Pausing the workers failed'),
      );
    } else if (action === 'resume') {
      for (const host of this.hosts()) host.worker.resume();
      this.logger.log(resumedMessage(pausedForMs));
    }
  }

  private ping(): Promise<unknown> {
    const db = this.connection.db;
    if (!db) return Promise.reject(new Error('not connected'));
    const ping = db.admin().ping();
    this.pending = ping;
    const settle = () => {
      this.pending = null;
    };
    ping.then(settle, settle);
    return ping;
  }

  private hosts(): WorkerHost[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
  }
}
