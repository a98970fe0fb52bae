import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CreateMaintenanceTaskDto,
  DeletedMaintenanceTaskResponseDto,
  ListMaintenanceTasksQueryDto,
  MaintenanceTaskPageResponseDto,
  MaintenanceTaskResponseDto,
  OverdueQueryDto,
  UpdateMaintenanceTaskDto,
} from './tasks.dto';
import { MaintenanceTasksService } from './tasks.service';

const TaskId = ParseGlobalIdPipe('maintenance_task');

@ApiTags('maintenance')
@Controller('maintenance')
export class MaintenanceTasksController {
  constructor(private readonly tasks: MaintenanceTasksService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Maintenance tasks by next due date (tasks by hours/km last)' })
  @ApiOkResponse({ type: MaintenanceTaskPageResponseDto })
  list(@Query() query: ListMaintenanceTasksQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.tasks.list(filter, { cursor, limit });
  }

  @Get('overdue')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Overdue tasks: due before today (Europe/Stockholm), or the machine’s reading has been reached',
  })
  @ApiOkResponse({ type: MaintenanceTaskPageResponseDto })
  overdue(@Query() query: OverdueQueryDto) {
    const { cursor, limit, assigneeId } = query;
    return this.tasks.list({ overdue: true, assigneeId }, { cursor, limit });
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Add a maintenance task' })
  @ApiCreatedResponse({ type: MaintenanceTaskResponseDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, INVALID_REFERENCE (assigneeId), READING_REQUIRED',
  })
  create(@Body() body: CreateMaintenanceTaskDto) {
    return this.tasks.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One maintenance task' })
  @ApiOkResponse({ type: MaintenanceTaskResponseDto })
  @ApiNotFound('maintenance_task')
  get(@Param('id', TaskId) id: string) {
    return this.tasks.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Change a task (null clears an optional field; nextDue re-anchors a fixed schedule)',
  })
  @ApiOkResponse({ type: MaintenanceTaskResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REFERENCE, WRONG_RECURRENCE_FIELD' })
  @ApiUnprocessableEntityResponse({ description: 'READING_DECREASED' })
  @ApiNotFound('maintenance_task')
  update(@Param('id', TaskId) id: string, @Body() body: UpdateMaintenanceTaskDto) {
    return this.tasks.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Move a task and its completions to the trash (answers the undo payload)' })
  @ApiOkResponse({ type: DeletedMaintenanceTaskResponseDto })
  @ApiNotFound('maintenance_task')
  remove(@Param('id', TaskId) id: string) {
    return this.tasks.remove(id);
  }
}
