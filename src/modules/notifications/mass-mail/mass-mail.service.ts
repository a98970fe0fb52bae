import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { Clock } from '../../../infrastructure/clock/clock';
import { MailDeliveries } from '../../../infrastructure/mail/mail-deliveries';
import { MailService } from '../../../infrastructure/mail/mail.service';
import { GlobalIdService } from '../../../infrastructure/mongo/global-id.service';
import type { PageRequest } from '../../../infrastructure/mongo/pagination';
import { jobIdFor, JobName } from '../../../infrastructure/queue/queue.constants';
import { JobQueue } from '../../../infrastructure/queue/queue.module';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';
import { sliceOf } from '../common/throttle';
import { ALL_USERS, BILLING_AUDIENCE, type AllUsers, type BillingAudience } from '../ports';
import { NotificationSettingsService } from '../settings/settings.service';
import type { CreateMassMail } from './mass-mail.dto';
import { MassMailRecipientsRepository, MassMailsRepository } from './mass-mail.repository';
import type { MassMailDoc } from './mass-mail.schema';

export const MASS_MAIL_RECORD_TYPE = 'mass_mail';
/** Queued rows whose mail state is read from the delivery records per progress view. */
const SETTLE_BATCH = 1_000;

/**
 * Admin mass mails (`/admin/mail`, platform admins): created and audited at once; a job lists the audience
 * (everyone, or the owners of the organizations on a plan or billing status, without those who unsubscribed), then a
 * chain of delayed jobs hands the mails to the mail queue slice by slice at `MASS_MAIL_PER_MINUTE`. Each mail has a
 * delivery id of its own (`mm-<id>-<user>`), so a slice run twice sends nobody twice. The progress view reads the
 * mail queue's delivery records for the mails in flight.
 */
@Injectable()
export class MassMailService {
  constructor(
    private readonly mails: MassMailsRepository,
    private readonly recipients: MassMailRecipientsRepository,
    private readonly settings: NotificationSettingsService,
    private readonly ids: GlobalIdService,
    private readonly jobs: JobQueue,
    private readonly mail: MailService,
    private readonly deliveries: MailDeliveries,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ALL_USERS) private readonly users: AllUsers,
    @Inject(BILLING_AUDIENCE) private readonly billing: BillingAudience,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
  ) {}

  async create(input: CreateMassMail) {
    const actor = this.context.requireActor();
    const doc = await this.mails.add({
      _id: await this.ids.getNextGlobalId(),
      subjectSv: input.subject.sv,
      subjectEn: input.subject.en ?? input.subject.sv,
      bodySv: input.body.sv,
      bodyEn: input.body.en ?? input.body.sv,
      audience: input.audience,
      status: 'preparing',
      total: null,
      skipped: 0,
      createdBy: actor.userId,
      preparedAt: null,
      doneAt: null,
    });
    await this.audit.record({
      action: AuditAction.MassMailCreated,
      organizationId: null,
      targetType: MASS_MAIL_RECORD_TYPE,
      targetId: doc._id,
      metadata: { audience: { ...input.audience }, subject: doc.subjectSv },
    });
    const name = JobName.MassMailPrepare;
    await this.jobs.add(name, { campaignId: doc._id }, { jobId: jobIdFor(name, doc._id), attempts: 3 });
    return this.view(doc);
  }

  async list(page: PageRequest) {
    const result = await this.mails.page(page);
    return { items: await Promise.all(result.items.map((m) => this.view(m))), nextCursor: result.nextCursor };
  }

  async get(id: string) {
    const doc = await this.mails.findById(id);
    if (!doc) throw notFound(MASS_MAIL_RECORD_TYPE);
    return this.view(doc);
  }

  /** The prepare job: lists the audience once (a rerun adds no one twice), then starts the sending chain. */
  async prepare(campaignId: string): Promise<{ total: number; skipped: number }> {
    const doc = await this.mails.findById(campaignId);
    if (!doc) return { total: 0, skipped: 0 };
    if (doc.status !== 'preparing') return { total: doc.total ?? 0, skipped: doc.skipped };
    const userIds = await this.audienceOf(doc);
    const optedOut = await this.settings.optedOut(userIds);
    const people = (await this.settings.recipients(userIds.filter((u) => !optedOut.has(u)))).filter(
      (p) => p.emailVerified,
    );
    const order = new Map(userIds.map((u, i) => [u, i]));
    people.sort((a, b) => (order.get(a.userId) ?? 0) - (order.get(b.userId) ?? 0));
    await this.recipients.addMany(
      people.map((p, seq) => ({
        _id: `${campaignId}:${p.userId}`,
        massMailId: campaignId,
        userId: p.userId,
        email: p.email,
        locale: p.locale,
        seq,
        state: 'pending' as const,
      })),
    );
    const total = await this.recipients.count(campaignId);
    const skipped = userIds.length - people.length;
    await this.mails.prepared(campaignId, total, skipped, this.clock.now());
    await this.audit.record({
      action: AuditAction.MassMailPrepared,
      organizationId: null,
      actorId: doc.createdBy,
      targetType: MASS_MAIL_RECORD_TYPE,
      targetId: campaignId,
      metadata: { total, skipped },
    });
    await this.enqueueSlice(campaignId, 0, 0);
    return { total, skipped };
  }

  /** One slice of the throttle: hands `size` mails to the mail queue, then schedules the next slice. */
  async sendSlice(campaignId: string, slice: number): Promise<{ queued: number }> {
    const doc = await this.mails.findById(campaignId);
    if (!doc || doc.status !== 'sending') return { queued: 0 };
    const { ms, size } = sliceOf(this.config.mail.massMailPerMinute);
    const batch = await this.recipients.next(campaignId, 'pending', size);
    for (const r of batch) {
      const link = this.settings.unsubscribeLink(r.userId);
      await this.mail.send(
        r.email,
        'mass-mail',
        r.locale,
        {
          subject: r.locale === 'en' ? doc.subjectEn : doc.subjectSv,
          body: r.locale === 'en' ? doc.bodyEn : doc.bodySv,
          unsubscribeLink: link,
        },
        undefined,
        {
          deliveryId: deliveryIdOf(r._id),
          headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        },
      );
    }
    await this.recipients.setState(
      batch.map((r) => r._id),
      'pending',
      'queued',
    );
    if (batch.length === size && (await this.recipients.count(campaignId, 'pending')) > 0) {
      await this.enqueueSlice(campaignId, slice + 1, ms);
    }
    return { queued: batch.length };
  }

  private async enqueueSlice(campaignId: string, slice: number, delay: number): Promise<void> {
    const name = JobName.MassMailSend;
    await this.jobs.add(
      name,
      { campaignId, slice },
      { jobId: jobIdFor(name, `${campaignId}-${slice}`), delay, attempts: 3 },
    );
  }

  /** Everyone of the audience, in a stable order, each once. */
  private async audienceOf(doc: MassMailDoc): Promise<string[]> {
    const ids = new Set<string>();
    let cursor: string | undefined;
    if (doc.audience.type === 'all') {
      do {
        const page = await this.users.adminList({ deleted: false }, { cursor, limit: 100 });
        for (const u of page.items) ids.add(u.id);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return [...ids];
    }
    do {
      const page = await this.billing.list({
        plan: doc.audience.type === 'plan' ? doc.audience.plan : undefined,
        status: doc.audience.type === 'billing_status' ? doc.audience.status : undefined,
        sort: '-createdAt',
        limit: 100,
        cursor,
      });
      const owners = await this.directory.ownersOf(page.items.map((i) => i.organizationId));
      for (const o of owners) ids.add(o.userId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return [...ids];
  }

  /** Progress: reads the outcome of mails in the queue from their delivery records, then counts per state. */
  private async view(doc: MassMailDoc & { createdAt: Date }) {
    if (doc.status === 'sending') await this.settle(doc);
    const [waiting, queued, sent, failed] = await Promise.all([
      this.recipients.count(doc._id, 'pending'),
      this.recipients.count(doc._id, 'queued'),
      this.recipients.count(doc._id, 'sent'),
      this.recipients.count(doc._id, 'failed'),
    ]);
    let status = doc.status;
    let doneAt = doc.doneAt;
    if (status === 'sending' && waiting === 0 && queued === 0) {
      doneAt = this.clock.now();
      await this.mails.done(doc._id, doneAt);
      status = 'done';
    }
    return {
      id: doc._id,
      subject: { sv: doc.subjectSv, en: doc.subjectEn },
      audience: doc.audience,
      status,
      progress: { total: doc.total, waiting, queued, sent, failed, skipped: doc.skipped },
      ratePerMinute: this.config.mail.massMailPerMinute,
      createdBy: doc.createdBy,
      createdAt: doc.createdAt,
      preparedAt: doc.preparedAt,
      doneAt,
    };
  }

  private async settle(doc: MassMailDoc): Promise<void> {
    const queued = await this.recipients.next(doc._id, 'queued', SETTLE_BATCH);
    const states = await this.deliveries.states(queued.map((r) => deliveryIdOf(r._id)));
    const sent = queued.filter((_, i) => states[i] === 'sent').map((r) => r._id);
    const failed = queued.filter((_, i) => states[i] === 'failed').map((r) => r._id);
    await this.recipients.setState(sent, 'queued', 'sent');
    await this.recipients.setState(failed, 'queued', 'failed');
  }
}

/** The mail's delivery id (its Message-ID and idempotency key in the mail queue). */
const deliveryIdOf = (recipientId: string): string => `mm-${recipientId.replace(':', '-')}`;
