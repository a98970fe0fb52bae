import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OrganizationsModule } from '../organizations/organizations.module';
import { RemindersModule } from '../reminders/reminders.module';
import { MaintenanceCompletionsController } from './completions/completions.controller';
import { MaintenanceCompletionsRepository } from './completions/completions.repository';
import { MaintenanceCompletionEntity, MaintenanceCompletionSchema } from './completions/completions.schema';
import { MaintenanceCompletionsService } from './completions/completions.service';
import { MaintenanceRecords } from './maintenance.records';
import { MaintenanceReminders } from './tasks/task-reminders';
import { MaintenanceTasksController } from './tasks/tasks.controller';
import { MaintenanceTasksRepository } from './tasks/tasks.repository';
import { MaintenanceTaskEntity, MaintenanceTaskSchema } from './tasks/tasks.schema';
import { MaintenanceTasksService } from './tasks/tasks.service';

/** Home maintenance: recurring tasks, their completions (the cost log), the overdue list and reminders (docs/maintenance.md). */
@Module({
  imports: [
    OrganizationsModule,
    RemindersModule,
    MongooseModule.forFeature([
      { name: MaintenanceTaskEntity.name, schema: MaintenanceTaskSchema },
      { name: MaintenanceCompletionEntity.name, schema: MaintenanceCompletionSchema },
    ]),
  ],
  // The completions' controller first: its `GET /maintenance/costs` must come before the tasks' `GET /:id`.
  controllers: [MaintenanceCompletionsController, MaintenanceTasksController],
  providers: [
    MaintenanceTasksRepository,
    MaintenanceCompletionsRepository,
    MaintenanceTasksService,
    MaintenanceCompletionsService,
    MaintenanceRecords,
    MaintenanceReminders,
  ],
})
export class MaintenanceModule {}
