import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { ContextModule } from './common/context/context.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { AppThrottlerGuard, throttlerOptions } from './common/http/throttling';
import { APP_CONFIG, hasWorker, type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ClockModule } from './infrastructure/clock/clock';
import { CacheModule } from './infrastructure/cache/cache.module';
import { CryptoModule } from './infrastructure/crypto/crypto.module';
import { HealthContributorsModule } from './infrastructure/health/health-contributors';
import { MetricsModule } from './infrastructure/metrics/metrics';
import { StorageModule } from './infrastructure/storage/storage.module';
import { MailModule } from './infrastructure/mail/mail.module';
import { MongoModule } from './infrastructure/mongo/mongo.module';
import { QueueModule } from './infrastructure/queue/queue.module';
import { REDIS, RedisModule } from './infrastructure/redis/redis.module';
import { TokensModule } from './infrastructure/tokens/tokens.module';
import { AuditInterceptor } from './modules/audit/audit.interceptor';
import { AuditModule } from './modules/audit/audit.module';
import { JwtAuthGuard, PlatformRolesGuard } from './modules/auth/auth.guards';
import { AdminPortalModule } from './modules/admin-portal/admin-portal.module';
import { AiModule } from './modules/ai/ai.module';
import { AuthModule } from './modules/auth/auth.module';
import { BillingAccessGuard } from './modules/billing/billing-access.guard';
import { BillingModule } from './modules/billing/billing.module';
import { BankModule } from './modules/bank/bank.module';
import { CarsModule } from './modules/cars/cars.module';
import { MaintenanceModule } from './modules/maintenance/maintenance.module';
import { WarrantiesModule } from './modules/warranties/warranties.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { ContractsModule } from './modules/contracts/contracts.module';
import { InsuranceModule } from './modules/insurance/insurance.module';
import { RemindersModule } from './modules/reminders/reminders.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { ReportsModule } from './modules/reports/reports.module';
import { EconomyModule } from './modules/economy/economy.module';
import { HealthModule } from './modules/health/health.module';
import { SystemModule } from './modules/system/system.module';
import { OrgContextGuard } from './modules/organizations/org-context.guard';
import { OrganizationsModule } from './modules/organizations/organizations.module';
import { PortabilityModule } from './modules/portability/portability.module';
import { TrashModule } from './modules/trash/trash.module';
import { UploadsModule } from './modules/uploads/uploads.module';
import { UsersModule } from './modules/users/users.module';

@Module({})
export class AppModule {
  /** Same modules in every role; the role decides only whether queue processors and schedulers are registered. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ContextModule,
        // The CLS middleware is mounted in bootstrap.ts, after the request id and the body parsers.
        ClsModule.forRoot({ global: true, middleware: { mount: false } }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req) => (req as { id?: string }).id ?? '',
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
          },
        }),
        ClockModule,
        MetricsModule,
        HealthContributorsModule,
        // Files (uploads, exports, reports): FILE_STORAGE, local disk or S3 (docs/storage.md). Global.
        StorageModule,
        MongoModule,
        RedisModule,
        CacheModule,
        // @Cron methods only run where the role includes the worker; they enqueue BullMQ jobs with a dated jobId,
        // so several workers still do a daily job once.
        ...(hasWorker(config.role) ? [ScheduleModule.forRoot()] : []),
        QueueModule.forRoot(config.role, config.queue),
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, REDIS],
          useFactory: (cfg: AppConfig, redis: Redis) => throttlerOptions(cfg, redis),
        }),
        CryptoModule,
        MailModule,
        TokensModule,
        AuditModule,
        TrashModule,
        UploadsModule,
        UsersModule,
        OrganizationsModule,
        AuthModule,
        BillingModule,
        HealthModule,
        SystemModule,
        EconomyModule,
        BankModule,
        RemindersModule,
        ContractsModule,
        CarsModule,
        MaintenanceModule,
        InsuranceModule,
        WarrantiesModule,
        WebhooksModule,
        NotificationsModule,
        ReportsModule,
        AiModule,
        PortabilityModule,
        AdminPortalModule,
      ],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        // Guard order matters: who (JWT) → rate limit (per user needs the user; before anything that reads the
        // database for a refusal) → platform role → organization.
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useClass: AppThrottlerGuard },
        { provide: APP_GUARD, useExisting: PlatformRolesGuard },
        { provide: APP_GUARD, useExisting: OrgContextGuard },
        // Read-only mode (billing): needs the tenant OrgContextGuard has just resolved.
        { provide: APP_GUARD, useExisting: BillingAccessGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
    };
  }
}
