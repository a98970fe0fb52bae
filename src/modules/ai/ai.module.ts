import { Module } from '@nestjs/common';
import { AnomaliesModule } from './anomalies/anomalies.module';
import { AiCategorizationModule } from './categorization/categorization.module';
import { ForecastModule } from './forecast/forecast.module';

/**
 * AI that a household can trust (docs/ai.md): categorization, cost forecasts and anomaly detection, offline, on
 * the organization's own history plus a built-in Swedish knowledge base. Each part lives in its sub-folder
 * (`categorization/`, `forecast/`, `anomalies/`) with its own Nest module imported here.
 */
@Module({
  imports: [AiCategorizationModule, ForecastModule, AnomaliesModule],
})
export class AiModule {}
