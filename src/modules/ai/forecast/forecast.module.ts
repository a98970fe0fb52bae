import { Module } from '@nestjs/common';
import { ContractsModule } from '../../contracts/contracts.module';
import { EconomyModule } from '../../economy/economy.module';
import { ForecastController } from './forecast.controller';
import { ForecastService } from './forecast.service';
import { InsightsDataService } from './insights-data.service';
import { INSIGHTS_PORTS } from './insights.ports';

/**
 * `GET /ai/forecast` (docs/ai.md, "Forecast"). Exports InsightsDataService, which the anomaly detection reads its
 * history through as well.
 */
@Module({
  imports: [EconomyModule, ContractsModule],
  controllers: [ForecastController],
  providers: [...INSIGHTS_PORTS, InsightsDataService, ForecastService],
  exports: [InsightsDataService],
})
export class ForecastModule {}
