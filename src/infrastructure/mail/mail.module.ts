import { Global, Module } from '@nestjs/common';
import { MailDeliveries } from './mail-deliveries';
import { MailJobs } from './mail.jobs';
import { MailService } from './mail.service';

@Global()
@Module({ providers: [MailDeliveries, MailService, MailJobs], exports: [MailService, MailDeliveries] })
export class MailModule {}
