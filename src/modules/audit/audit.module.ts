import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditListeners } from './audit-listeners';
import { AdminAuditController, AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditRepository } from './audit.repository';
import { AUDIT_ENTRY_MODEL, AUDIT_HEAD_MODEL, AuditEntrySchema, AuditHeadSchema } from './audit.schema';
import { AuditService } from './audit.service';

/**
 * Global so every feature can inject `AuditService` (and register an `AuditListener`) without importing this module. `AuditInterceptor` is provided
 * and exported but not registered: the app module wires it as APP_INTERCEPTOR.
 * Needs from global modules: GlobalIdService (MongoModule), APP_CONFIG (ConfigModule), RequestContext.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AUDIT_ENTRY_MODEL, schema: AuditEntrySchema },
      { name: AUDIT_HEAD_MODEL, schema: AuditHeadSchema },
    ]),
  ],
  controllers: [AuditController, AdminAuditController],
  providers: [AuditRepository, AuditService, AuditInterceptor, AuditListeners],
  exports: [AuditService, AuditInterceptor, AuditListeners],
})
export class AuditModule {}
