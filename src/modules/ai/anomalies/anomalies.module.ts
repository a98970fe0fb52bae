import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ForecastModule } from '../forecast/forecast.module';
import { AnomaliesController } from './anomalies.controller';
import { AnomaliesFeed } from './anomalies.feed';
import { AnomaliesJobs } from './anomalies.jobs';
import { AnomaliesRepository } from './anomalies.repository';
import { AiAnomalyEntity, AiAnomalySchema } from './anomalies.schema';
import { AnomaliesService } from './anomalies.service';

/**
 * `GET /ai/anomalies`, dismiss and "this is normal" (docs/ai.md, "Anomalies"). Detection runs after writes
 * (AnomaliesFeed → job); history comes through the forecast module's InsightsDataService.
 */
@Module({
  imports: [
    ForecastModule,
    MongooseModule.forFeature([{ name: AiAnomalyEntity.name, schema: AiAnomalySchema }]),
  ],
  controllers: [AnomaliesController],
  providers: [AnomaliesRepository, AnomaliesService, AnomaliesJobs, AnomaliesFeed],
})
export class AnomaliesModule {}
