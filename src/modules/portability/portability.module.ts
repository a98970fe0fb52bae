import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { ExportService } from './export/export.service';
import { ImportService } from './import/import.service';
import { PersonalExportController } from './personal/personal-export.controller';
import { PersonalExportService } from './personal/personal-export.service';
import { PortabilityController } from './portability.controller';
import { PortabilityJobs } from './portability.jobs';
import { PortabilityIdMapRepository, PortabilityJobsRepository } from './portability.repository';
import {
  PortabilityIdMapEntity,
  PortabilityIdMapSchema,
  PortabilityJobEntity,
  PortabilityJobSchema,
} from './portability.schema';
import { PortabilityService } from './portability.service';
import { RetentionService } from './retention.service';

/**
 * Export and import of a whole organization (docs/portability.md): one streamed ZIP with a manifest, JSON Lines per
 * record type and every file; a dry run before an import writes anything. Which records travel is each module's
 * own `portable` part of its record type (RecordRegistry, src/modules/portability/portability.contract.ts).
 */
@Module({
  imports: [
    OrganizationsModule,
    NotificationsModule,
    UsersModule,
    MongooseModule.forFeature([
      { name: PortabilityJobEntity.name, schema: PortabilityJobSchema },
      { name: PortabilityIdMapEntity.name, schema: PortabilityIdMapSchema },
    ]),
  ],
  controllers: [PortabilityController, PersonalExportController],
  providers: [
    PortabilityJobsRepository,
    PortabilityIdMapRepository,
    ExportService,
    ImportService,
    RetentionService,
    PortabilityService,
    PersonalExportService,
    PortabilityJobs,
  ],
})
export class PortabilityModule {}
