import { Global, Module } from '@nestjs/common';
import { MailDeliveries } from './mail-deliveries';
import { MailService } from './mail.service';

@Global()
@Module({ providers: [MailDeliveries, MailService], exports: [MailService] })
export class MailModule {}
