import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EconomyModule } from '../economy/economy.module';
import { RemindersModule } from '../reminders/reminders.module';
import { UploadsModule } from '../uploads/uploads.module';
import { WARRANTY_PORTS } from './ports';
import { WarrantiesRecords } from './warranties.records';
import { WarrantiesController } from './warranties/warranties.controller';
import { WarrantiesRepository } from './warranties/warranties.repository';
import { WarrantyEntity, WarrantySchema } from './warranties/warranties.schema';
import { WarrantiesService } from './warranties/warranties.service';
import { WarrantyReminders } from './warranties/warranty-reminders';

/** Warranties (docs/warranties.md): purchases and how long they are covered, with a reminder before the end. */
@Module({
  imports: [
    EconomyModule,
    UploadsModule,
    RemindersModule,
    MongooseModule.forFeature([{ name: WarrantyEntity.name, schema: WarrantySchema }]),
  ],
  controllers: [WarrantiesController],
  providers: [
    ...WARRANTY_PORTS,
    WarrantiesRepository,
    WarrantiesService,
    WarrantiesRecords,
    WarrantyReminders,
  ],
})
export class WarrantiesModule {}
