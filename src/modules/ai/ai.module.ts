import { Module } from '@nestjs/common';

/**
 * AI that a household can trust (docs/ai.md): categorization, cost forecasts and anomaly detection, offline, on
 * the organization's own history plus a built-in Swedish knowledge base. Each part lives in its sub-folder
 * (`categorization/`, `forecast/`, `anomalies/`) with its own Nest module imported here.
 */
@Module({
  imports: [],
})
export class AiModule {}
