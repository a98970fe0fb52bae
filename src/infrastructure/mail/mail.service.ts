import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JobHandler } from '../queue/job-handler.decorator';
import { JobQueue } from '../queue/queue.module';
import { JobName, type JobPayloads } from '../queue/queue.constants';
import { renderMail, type Locale, type MailTemplateName } from './mail.templates';

/**
 * Mail leaves through the `mail` queue: the request only enqueues, the worker role renders and sends over SMTP
 * (`SMTP_URL`). Without SMTP_URL (development only) the worker writes the mail to the log instead.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {
    this.transport = config.mail.smtpUrl ? createTransport(config.mail.smtpUrl) : createTransport({ jsonTransport: true });
  }

  async send(
    to: string,
    template: MailTemplateName,
    locale: Locale,
    vars: Record<string, string>,
    organizationId?: string,
  ): Promise<void> {
    await this.jobs.add(JobName.SendMail, { to, template, locale, vars, organizationId });
  }

  @JobHandler(JobName.SendMail)
  async deliver(payload: JobPayloads[JobName.SendMail]): Promise<void> {
    const { subject, text } = renderMail(payload.template, payload.locale, payload.vars);
    const info = (await this.transport.sendMail({ from: this.config.mail.from, to: payload.to, subject, text })) as {
      messageId?: string;
      message?: unknown;
    };
    if (!this.config.mail.smtpUrl) {
      this.logger.log({ to: payload.to, subject, text }, 'SMTP_URL is not set: mail written to the log');
    } else {
      this.logger.debug({ to: payload.to, template: payload.template, messageId: info.messageId }, 'Mail sent');
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
