import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ECONOMY_WRITES_LISTENER } from '../../economy/economy.contract';
import { MatchingGenerationService } from './generation.service';
import { MatchingStateRepository } from './matching.repository';
import { MatchingStateEntity, MatchingStateSchema } from './matching.schema';

/**
 * The matching generation, global so the economy module can tell it about writes without importing the bank
 * module: its services inject `ECONOMY_WRITES_LISTENER` (economy.contract.ts), bound here. Imported by BankModule.
 */
@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: MatchingStateEntity.name, schema: MatchingStateSchema }])],
  providers: [
    MatchingStateRepository,
    MatchingGenerationService,
    { provide: ECONOMY_WRITES_LISTENER, useExisting: MatchingGenerationService },
  ],
  exports: [MatchingGenerationService, ECONOMY_WRITES_LISTENER],
})
export class MatchingGenerationModule {}
