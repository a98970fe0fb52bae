import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrganizationsModule } from '../organizations/organizations.module';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarTokensRepository } from './calendar/calendar.repository';
import { CalendarTokenEntity, CalendarTokenSchema } from './calendar/calendar.schema';
import { CalendarService } from './calendar/calendar.service';
import { RemindersController } from './reminders/reminders.controller';
import { RemindersRepository } from './reminders/reminders.repository';
import { ReminderEntity, ReminderSchema } from './reminders/reminders.schema';
import { RemindersService } from './reminders/reminders.service';
import { ReminderChanges } from './runs/reminder-changes';
import { ReminderListeners } from './runs/reminder-listeners';
import { ReminderJobs } from './runs/runs.jobs';
import { ReminderRunsService } from './runs/runs.service';
import {
  ReminderChecksRepository,
  ReminderScansRepository,
  ReminderSchedulesRepository,
} from './schedule/schedule.repository';
import {
  ReminderCheckEntity,
  ReminderCheckSchema,
  ReminderScanEntity,
  ReminderScanSchema,
  ReminderScheduleEntity,
  ReminderScheduleSchema,
} from './schedule/schedule.schema';
import { ReminderScheduleService } from './schedule/schedule.service';
import { ReminderSettingsRepository } from './settings/settings.repository';
import { ReminderSettingsEntity, ReminderSettingsSchema } from './settings/settings.schema';
import { ReminderSources } from './sources/reminder-sources';

/**
 * One reminder engine (docs/reminders.md): modules register `ReminderSource`s with `ReminderSources`; every audited
 * change and the daily run over the schedule store the reminders due; people list, snooze and finish them.
 */
@Module({
  imports: [
    OrganizationsModule,
    MongooseModule.forFeature([
      { name: ReminderEntity.name, schema: ReminderSchema },
      { name: ReminderSettingsEntity.name, schema: ReminderSettingsSchema },
      { name: CalendarTokenEntity.name, schema: CalendarTokenSchema },
      { name: ReminderCheckEntity.name, schema: ReminderCheckSchema },
      { name: ReminderScheduleEntity.name, schema: ReminderScheduleSchema },
      { name: ReminderScanEntity.name, schema: ReminderScanSchema },
    ]),
  ],
  controllers: [RemindersController, CalendarController],
  providers: [
    ReminderSources,
    ReminderListeners,
    RemindersRepository,
    ReminderSettingsRepository,
    RemindersService,
    ReminderRunsService,
    ReminderChecksRepository,
    ReminderSchedulesRepository,
    ReminderScansRepository,
    ReminderScheduleService,
    ReminderChanges,
    ReminderJobs,
    CalendarTokensRepository,
    CalendarService,
  ],
  exports: [ReminderSources, ReminderListeners, RemindersService],
})
export class RemindersModule {}
