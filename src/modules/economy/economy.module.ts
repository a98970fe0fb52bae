import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RemindersModule } from '../reminders/reminders.module';
import { BillReminders } from './bills/bill-reminders';
import { EconomyRecords } from './economy.records';
import { BillsController } from './bills/bills.controller';
import { BillsRepository } from './bills/bills.repository';
import { BillEntity, BillSchema } from './bills/bills.schema';
import { BillsService } from './bills/bills.service';
import { CategoriesController } from './categories/categories.controller';
import { CategoriesRepository, CategorySeedsRepository } from './categories/categories.repository';
import {
  CategoryEntity,
  CategorySchema,
  CategorySeedEntity,
  CategorySeedSchema,
} from './categories/categories.schema';
import { CategoriesService } from './categories/categories.service';
import { StatsController } from './stats/stats.controller';
import { StatsService } from './stats/stats.service';
import { SuppliersController } from './suppliers/suppliers.controller';
import { SuppliersRepository } from './suppliers/suppliers.repository';
import { SupplierEntity, SupplierSchema } from './suppliers/suppliers.schema';
import { SuppliersService } from './suppliers/suppliers.service';
import { TransactionsController } from './transactions/transactions.controller';
import { TransactionsRepository } from './transactions/transactions.repository';
import { TransactionEntity, TransactionSchema } from './transactions/transactions.schema';
import { TransactionsService } from './transactions/transactions.service';

/**
 * Categories, suppliers, transactions, bills and statistics. Exports the services that implement
 * `economy.contract.ts` for the bank module: BillsService (BillsForMatching), TransactionsService
 * (TransactionsForMatching), SuppliersService (SuppliersForMatching), CategoriesService (CategoriesForBooking).
 */
@Module({
  imports: [
    OrganizationsModule,
    RemindersModule,
    MongooseModule.forFeature([
      { name: CategoryEntity.name, schema: CategorySchema },
      { name: CategorySeedEntity.name, schema: CategorySeedSchema },
      { name: SupplierEntity.name, schema: SupplierSchema },
      { name: TransactionEntity.name, schema: TransactionSchema },
      { name: BillEntity.name, schema: BillSchema },
    ]),
  ],
  controllers: [
    CategoriesController,
    SuppliersController,
    TransactionsController,
    BillsController,
    StatsController,
  ],
  providers: [
    CategoriesRepository,
    CategorySeedsRepository,
    SuppliersRepository,
    TransactionsRepository,
    BillsRepository,
    CategoriesService,
    SuppliersService,
    TransactionsService,
    BillsService,
    StatsService,
    EconomyRecords,
    BillReminders,
  ],
  exports: [CategoriesService, SuppliersService, TransactionsService, BillsService],
})
export class EconomyModule {}
