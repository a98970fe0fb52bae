import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RemindersModule } from '../reminders/reminders.module';
import { CarReminders } from './cars/car-reminders';
import { CarsController } from './cars/cars.controller';
import { CarsRepository } from './cars/cars.repository';
import { CarEntity, CarSchema } from './cars/cars.schema';
import { CarsService } from './cars/cars.service';
import { CarsRecords } from './cars.records';
import { CarEventsController } from './events/events.controller';
import { CarEventsRepository } from './events/events.repository';
import { CarEventEntity, CarEventSchema } from './events/events.schema';
import { CarEventsService } from './events/events.service';
import { CarStatsService } from './stats/stats.service';

/** Cars, their events and statistics, and their reminders (docs/cars.md). */
@Module({
  imports: [
    RemindersModule,
    MongooseModule.forFeature([
      { name: CarEntity.name, schema: CarSchema },
      { name: CarEventEntity.name, schema: CarEventSchema },
    ]),
  ],
  controllers: [CarsController, CarEventsController],
  providers: [
    CarsRepository,
    CarEventsRepository,
    CarsService,
    CarEventsService,
    CarStatsService,
    CarsRecords,
    CarReminders,
  ],
  // cars.contract.ts: CarsForLinking (insurance links a policy to a car), CarCostsForReports (reports).
  exports: [CarsService, CarStatsService],
})
export class CarsModule {}
