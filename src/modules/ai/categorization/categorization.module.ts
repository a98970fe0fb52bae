import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BankModule } from '../../bank/bank.module';
import { EconomyModule } from '../../economy/economy.module';
import { AutoCategorizeService } from './auto-categorize.service';
import { CategorizationController } from './categorization.controller';
import { CategorizationJobs } from './categorization.jobs';
import { AiSettingsRepository, AiSuggestionsRepository } from './categorization.repository';
import {
  AiSettingsEntity,
  AiSettingsSchema,
  AiSuggestionEntity,
  AiSuggestionSchema,
} from './categorization.schema';
import { CategorizationService } from './categorization.service';
import { BANK_PORTS } from './bank.ports';
import { ECONOMY_PORTS } from './economy.ports';
import { AiSettingsService } from './settings.service';

/**
 * AI categorization (docs/ai.md "Categorization"): `POST /ai/categorize`, the organization's settings, and the
 * automatic categorization of created transactions and imported bank lines (an AuditListener). `normalizeMerchant` (merchant.ts) is the
 * canonical merchant the anomalies group by.
 */
@Module({
  imports: [
    EconomyModule,
    BankModule,
    MongooseModule.forFeature([
      { name: AiSettingsEntity.name, schema: AiSettingsSchema },
      { name: AiSuggestionEntity.name, schema: AiSuggestionSchema },
    ]),
  ],
  controllers: [CategorizationController],
  providers: [
    ...ECONOMY_PORTS,
    ...BANK_PORTS,
    AiSettingsRepository,
    AiSuggestionsRepository,
    CategorizationService,
    AiSettingsService,
    AutoCategorizeService,
    CategorizationJobs,
  ],
  exports: [CategorizationService],
})
export class AiCategorizationModule {}
