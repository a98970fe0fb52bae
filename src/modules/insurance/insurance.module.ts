import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CarsModule } from '../cars/cars.module';
import { EconomyModule } from '../economy/economy.module';
import { RemindersModule } from '../reminders/reminders.module';
import { CARS_PORTS } from './cars.ports';
import { ECONOMY_PORTS } from './economy.ports';
import { InsuranceRecords } from './insurance.records';
import { InsurancePoliciesController } from './policies/policies.controller';
import { InsurancePoliciesRepository } from './policies/policies.repository';
import { InsurancePolicyEntity, InsurancePolicySchema } from './policies/policies.schema';
import { InsurancePoliciesService } from './policies/policies.service';
import { PolicyReminders } from './policies/policy-reminders';
import { InsuranceSummaryController } from './summary/summary.controller';
import { InsuranceSummaryService } from './summary/summary.service';

/** Insurance policies (docs/insurance.md): encrypted policy numbers, premiums per year, renewals and reminders. */
@Module({
  imports: [
    EconomyModule,
    CarsModule,
    RemindersModule,
    MongooseModule.forFeature([{ name: InsurancePolicyEntity.name, schema: InsurancePolicySchema }]),
  ],
  // The summary controller first: its fixed path must win over `insurance/:id`.
  controllers: [InsuranceSummaryController, InsurancePoliciesController],
  providers: [
    ...ECONOMY_PORTS,
    ...CARS_PORTS,
    InsurancePoliciesRepository,
    InsurancePoliciesService,
    InsuranceSummaryService,
    InsuranceRecords,
    PolicyReminders,
  ],
})
export class InsuranceModule {}
