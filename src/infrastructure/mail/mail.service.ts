import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Clock } from '../clock/clock';
import { JobQueue } from '../queue/queue.module';
import { JobName, jobIdFor, type JobPayloads } from '../queue/queue.constants';
import { MailDeliveries } from './mail-deliveries';
import { renderMail, type Locale, type MailTemplateName } from './mail.templates';

/** `<deliveryId@domain of MAIL_FROM>`: the same for every attempt of one mail, so a duplicate is recognisable. */
export function messageIdFor(deliveryId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'westwallet.se';
  return `<${deliveryId}@${domain}>`;
}

/** An SMTP error with a reply code: the server answered and refused, so it does not have the mail. */
const refusedByServer = (error: unknown): boolean =>
  typeof (error as { responseCode?: unknown } | null)?.responseCode === 'number';

/**
 * Mail leaves through the `mail` queue: the request only enqueues, the worker role renders and sends over SMTP
 * (`SMTP_URL`). Without SMTP_URL (development only) the worker writes the mail to the log instead.
 *
 * Each mail gets a delivery id when queued: its jobId, its Message-ID and the key of its record in
 * Redis (see mail-deliveries.ts). A job run again after a crash or a retry never resends a mail
 * the SMTP server accepted and the record saw; only a worker dying between the server's acceptance and the `sent`
 * write (about a millisecond per mail in flight) can make a second copy — with the same Message-ID, logged and
 * counted (the record's `resends`, and `mail:possible-duplicates`).
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly deliveries: MailDeliveries,
    private readonly clock: Clock,
  ) {
    this.transport = config.mail.smtpUrl
      ? createTransport(config.mail.smtpUrl)
      : createTransport({ jsonTransport: true });
  }

  /**
   * Queues one mail. `options.deliveryId` (default random) makes queuing idempotent: a caller that may run twice
   * (a job retried) passes a key of its own, and the second add is ignored by BullMQ while the first job is kept,
   * and never sent twice while its delivery record lives (mail-deliveries.ts). `options.headers` go on the message
   * (List-Unsubscribe).
   */
  async send(
    to: string,
    template: MailTemplateName,
    locale: Locale,
    vars: Record<string, string>,
    organizationId?: string,
    options: { deliveryId?: string; headers?: Record<string, string> } = {},
  ): Promise<string> {
    const deliveryId = options.deliveryId ?? randomUUID();
    await this.jobs.add(
      JobName.SendMail,
      { to, template, locale, vars, organizationId, deliveryId, headers: options.headers },
      { jobId: jobIdFor(JobName.SendMail, deliveryId) },
    );
    return deliveryId;
  }

  /** Sends one queued mail (the SendMail job, mail.jobs.ts) unless its delivery record says it was sent. */
  async deliver(payload: JobPayloads[JobName.SendMail], deliveryId: string): Promise<void> {
    const claim = await this.deliveries.claim(deliveryId, this.clock.now());
    if (!claim.send) {
      this.logger.log({ deliveryId, template: payload.template }, 'Mail already sent: not sent again');
      return;
    }
    if (claim.possibleDuplicate)
      this.logger.warn(
        { deliveryId, template: payload.template },
        'An earlier attempt of this mail died after claiming it: sending again (possible duplicate, same Message-ID)',
      );
    const { subject, text } = renderMail(payload.template, payload.locale, payload.vars);
    const messageId = messageIdFor(deliveryId, this.config.mail.from);
    try {
      await this.transport.sendMail({
        from: this.config.mail.from,
        to: payload.to,
        subject,
        text,
        messageId,
        headers: payload.headers,
      });
    } catch (error) {
      // A refusal is final for this attempt; a broken connection may have delivered, so the claim stays `sending`.
      if (refusedByServer(error))
        await this.deliveries.markFailed(deliveryId, error instanceof Error ? error.message : String(error));
      throw error;
    }
    await this.deliveries.markSent(deliveryId, this.clock.now());
    if (!this.config.mail.smtpUrl) {
      this.logger.log({ to: payload.to, subject, text }, 'SMTP_URL is not set: mail written to the log');
    } else {
      this.logger.debug({ to: payload.to, template: payload.template, messageId }, 'Mail sent');
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
