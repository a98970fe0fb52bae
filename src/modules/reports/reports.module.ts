import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CarsModule } from '../cars/cars.module';
import { ContractsModule } from '../contracts/contracts.module';
import { EconomyModule } from '../economy/economy.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { ReportDataService } from './data/report-data.service';
import { MonthlyReportsController } from './monthly/monthly.controller';
import { ReportMailingsRepository, ReportSubscriptionsRepository } from './monthly/monthly.repository';
import {
  ReportMailingEntity,
  ReportMailingSchema,
  ReportSubscriptionEntity,
  ReportSubscriptionSchema,
} from './monthly/monthly.schema';
import { MonthlyReportsService } from './monthly/monthly.service';
import { ReportFiles } from './reports/report-files';
import { ReportsController } from './reports/reports.controller';
import { ReportJobs } from './reports/reports.jobs';
import { ReportsRepository } from './reports/reports.repository';
import { ReportEntity, ReportSchema } from './reports/reports.schema';
import { ReportsService } from './reports/reports.service';
import { REPORTS_PORTS } from './reports.ports';

/**
 * Monthly and yearly reports (PDF, Excel, CSV) and the monthly report mail (docs/reports.md). Reads the economy,
 * contracts and cars modules only through their contracts (reports.ports.ts).
 */
@Module({
  imports: [
    EconomyModule,
    ContractsModule,
    CarsModule,
    OrganizationsModule,
    UsersModule,
    MongooseModule.forFeature([
      { name: ReportEntity.name, schema: ReportSchema },
      { name: ReportSubscriptionEntity.name, schema: ReportSubscriptionSchema },
      { name: ReportMailingEntity.name, schema: ReportMailingSchema },
    ]),
  ],
  // The fixed path first: `reports/monthly-mail` must win over `reports/:id`.
  controllers: [MonthlyReportsController, ReportsController],
  providers: [
    ...REPORTS_PORTS,
    ReportsRepository,
    ReportSubscriptionsRepository,
    ReportMailingsRepository,
    ReportFiles,
    ReportDataService,
    ReportsService,
    MonthlyReportsService,
    ReportJobs,
  ],
})
export class ReportsModule {}
