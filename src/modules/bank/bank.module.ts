import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ContractsModule } from '../contracts/contracts.module';
import { EconomyModule } from '../economy/economy.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { BankAccountsController } from './accounts/accounts.controller';
import { BankAccountsRepository } from './accounts/accounts.repository';
import { BankAccountEntity, BankAccountSchema } from './accounts/accounts.schema';
import { BankAccountsService } from './accounts/accounts.service';
import { BankRecords } from './bank.records';
import { CONTRACTS_PORTS } from './contracts.ports';
import { ECONOMY_PORTS } from './economy.ports';
import { BankImportsController } from './imports/imports.controller';
import { ImportJobs } from './imports/imports.jobs';
import {
  BankImportFilesRepository,
  BankImportsRepository,
  CsvProfilesRepository,
} from './imports/imports.repository';
import {
  BankImportEntity,
  BankImportFileEntity,
  BankImportFileSchema,
  BankImportSchema,
  CsvProfileEntity,
  CsvProfileSchema,
} from './imports/imports.schema';
import { ImportsService } from './imports/imports.service';
import { BankLinesController } from './lines/lines.controller';
import { BankLinesRepository } from './lines/lines.repository';
import { BankLineEntity, BankLineSchema } from './lines/lines.schema';
import { LinesService } from './lines/lines.service';
import { BookingService } from './matching/booking.service';
import { ContractHintsService } from './matching/contract-hints.service';
import { MatchingGenerationModule } from './matching/generation.module';
import { BankMatchesRepository } from './matching/matching.repository';
import { BankMatchEntity, BankMatchSchema } from './matching/matching.schema';
import { MatchingService } from './matching/matching.service';
import { BankPoliciesController } from './policies/policies.controller';
import { BankPoliciesRepository, PolicyEventsRepository } from './policies/policies.repository';
import {
  BankPolicyEntity,
  BankPolicySchema,
  PolicyEventEntity,
  PolicyEventSchema,
} from './policies/policies.schema';
import { PoliciesService } from './policies/policies.service';
import { VouchersController } from './vouchers/vouchers.controller';
import { BookkeepingSettingsRepository, VouchersRepository } from './vouchers/vouchers.repository';
import {
  BookkeepingSettingsEntity,
  BookkeepingSettingsSchema,
  VoucherCorrectionEntity,
  VoucherCorrectionSchema,
  VoucherEntity,
  VoucherSchema,
} from './vouchers/vouchers.schema';
import { VouchersService } from './vouchers/vouchers.service';

/**
 * Bank statements, matching in hybrid mode, counterparty policies and verifikationer (vouchers, SIE 4).
 * Depends on the economy module only through economy.contract.ts (see economy.ports.ts), on the contracts module
 * only through contracts.contract.ts (contracts.ports.ts). Needs from global
 * modules: GlobalIdService, FieldCrypto, JobQueue, AuditService, RecordRegistry (trash), Clock, RequestContext.
 */
@Module({
  imports: [
    EconomyModule,
    // Contract hints on bank lines and the contract payment of an approval (contracts.ports.ts). No cycle:
    // ContractsModule imports EconomyModule and RemindersModule, neither of which imports BankModule.
    ContractsModule,
    MatchingGenerationModule,
    OrganizationsModule,
    UsersModule,
    MongooseModule.forFeature([
      { name: BankAccountEntity.name, schema: BankAccountSchema },
      { name: CsvProfileEntity.name, schema: CsvProfileSchema },
      { name: BankImportEntity.name, schema: BankImportSchema },
      { name: BankImportFileEntity.name, schema: BankImportFileSchema },
      { name: BankLineEntity.name, schema: BankLineSchema },
      { name: BankMatchEntity.name, schema: BankMatchSchema },
      { name: BankPolicyEntity.name, schema: BankPolicySchema },
      { name: PolicyEventEntity.name, schema: PolicyEventSchema },
      { name: VoucherEntity.name, schema: VoucherSchema },
      { name: VoucherCorrectionEntity.name, schema: VoucherCorrectionSchema },
      { name: BookkeepingSettingsEntity.name, schema: BookkeepingSettingsSchema },
    ]),
  ],
  controllers: [
    BankAccountsController,
    BankImportsController,
    BankLinesController,
    BankPoliciesController,
    VouchersController,
  ],
  providers: [
    BankRecords,
    ...ECONOMY_PORTS,
    ...CONTRACTS_PORTS,
    BankAccountsRepository,
    CsvProfilesRepository,
    BankImportsRepository,
    BankImportFilesRepository,
    BankLinesRepository,
    BankMatchesRepository,
    BankPoliciesRepository,
    PolicyEventsRepository,
    VouchersRepository,
    BookkeepingSettingsRepository,
    BankAccountsService,
    ImportsService,
    ImportJobs,
    LinesService,
    MatchingService,
    BookingService,
    ContractHintsService,
    PoliciesService,
    VouchersService,
  ],
  exports: [VouchersService, LinesService],
})
export class BankModule {}
