import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EconomyModule } from '../economy/economy.module';
import { RemindersModule } from '../reminders/reminders.module';
import { ContractReminders } from './contracts/contract-reminders';
import { ContractsRecords } from './contracts.records';
import { ContractsController } from './contracts/contracts.controller';
import { ContractsRepository } from './contracts/contracts.repository';
import { ContractEntity, ContractSchema } from './contracts/contracts.schema';
import { ContractsService } from './contracts/contracts.service';
import { ECONOMY_PORTS } from './economy.ports';
import { ContractStatsController } from './stats/stats.controller';
import { ContractStatsService } from './stats/stats.service';

/** Contracts and subscriptions (docs/contracts.md): schedule, price history, notice, statistics. */
@Module({
  imports: [
    EconomyModule,
    RemindersModule,
    MongooseModule.forFeature([{ name: ContractEntity.name, schema: ContractSchema }]),
  ],
  // The statistics controller first: its fixed path must win over `contracts/:id`.
  controllers: [ContractStatsController, ContractsController],
  providers: [
    ...ECONOMY_PORTS,
    ContractsRepository,
    ContractsService,
    ContractStatsService,
    ContractsRecords,
    ContractReminders,
  ],
})
export class ContractsModule {}
