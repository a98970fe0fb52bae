import { Module } from '@nestjs/common';
import { DatabasePing } from '../../infrastructure/health/database-ping';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

/** `/admin/system` and the Prometheus route (docs/system.md). Metrics, JobRuns, HealthContributors are global. */
@Module({ controllers: [SystemController], providers: [SystemService, DatabasePing] })
export class SystemModule {}
