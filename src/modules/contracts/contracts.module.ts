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
import { ContractPaymentsController } from './payments/payments.controller';
import { ContractPaymentsRepository } from './payments/payments.repository';
import { ContractPaymentEntity, ContractPaymentSchema } from './payments/payments.schema';
import { ContractPaymentsService } from './payments/payments.service';
import { ContractStatsController } from './stats/stats.controller';
import { ContractStatsService } from './stats/stats.service';

/** Contracts and subscriptions (docs/contracts.md): schedule, price history, notice, statistics. */
@Module({
  imports: [
    EconomyModule,
    RemindersModule,
    MongooseModule.forFeature([
      { name: ContractEntity.name, schema: ContractSchema },
      { name: ContractPaymentEntity.name, schema: ContractPaymentSchema },
    ]),
  ],
  // The statistics controller first: its fixed path must win over `contracts/:id`.
  controllers: [ContractStatsController, ContractsController, ContractPaymentsController],
  providers: [
    ...ECONOMY_PORTS,
    ContractsRepository,
    ContractPaymentsRepository,
    ContractsService,
    ContractPaymentsService,
    ContractStatsService,
    ContractsRecords,
    ContractReminders,
  ],
  // contracts.contract.ts: the bank module suggests and records contract payments through ContractPaymentsService;
  // the reports module reads contract costs through ContractStatsService.
  exports: [ContractPaymentsService, ContractStatsService],
})
export class ContractsModule {}
