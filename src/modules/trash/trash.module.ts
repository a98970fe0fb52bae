import { Global, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RequestContext } from '../../common/context/request-context';
import { UsersModule } from '../users/users.module';
import { organizationRecordType } from './organization-record';
import { RecordRegistry } from './record-registry';
import { TrashController } from './trash.controller';
import { TrashRetentionJobs } from './trash.jobs';
import { TrashRepository } from './trash.repository';
import { TrashItemEntity, TrashItemSchema } from './trash.schema';
import { TrashService } from './trash.service';

/**
 * Global so every feature module can inject `RecordRegistry` (register its record types) and `TrashService`
 * (`delete(type, id)` from its DELETE route) without importing this module.
 */
@Global()
@Module({
  imports: [
    UsersModule,
    MongooseModule.forFeature([{ name: TrashItemEntity.name, schema: TrashItemSchema }]),
  ],
  controllers: [TrashController],
  providers: [RecordRegistry, TrashRepository, TrashService, TrashRetentionJobs],
  exports: [RecordRegistry, TrashService],
})
export class TrashModule implements OnModuleInit {
  constructor(
    private readonly registry: RecordRegistry,
    private readonly context: RequestContext,
  ) {}

  onModuleInit(): void {
    this.registry.register(organizationRecordType(this.context));
  }
}
