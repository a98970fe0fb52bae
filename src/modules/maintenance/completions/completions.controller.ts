import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { MaintenanceTaskResponseDto } from '../tasks/tasks.dto';
import {
  CompleteMaintenanceTaskDto,
  ListCompletionsQueryDto,
  MaintenanceCompletionPageResponseDto,
  MaintenanceCostsResponseDto,
} from './completions.dto';
import { MaintenanceCompletionsService } from './completions.service';

const TaskId = ParseGlobalIdPipe('maintenance_task');

/** Registered before the tasks' controller in MaintenanceModule: `GET /maintenance/costs` before `/:id`. */
@ApiTags('maintenance')
@Controller('maintenance')
export class MaintenanceCompletionsController {
  constructor(private readonly completions: MaintenanceCompletionsService) {}

  @Get('costs')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'The total maintenance cost per year (from the completions’ cost log)' })
  @ApiOkResponse({ type: MaintenanceCostsResponseDto })
  costs() {
    return this.completions.costs();
  }

  @Post(':id/complete')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Record that the task was done (cost log) and move it to its next due date or reading',
  })
  @ApiOkResponse({ type: MaintenanceTaskResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, READING_REQUIRED, WRONG_RECURRENCE_FIELD' })
  @ApiUnprocessableEntityResponse({ description: 'COMPLETION_IN_FUTURE, READING_DECREASED' })
  @ApiNotFound('maintenance_task')
  complete(@Param('id', TaskId) id: string, @Body() body: CompleteMaintenanceTaskDto) {
    return this.completions.complete(id, body);
  }

  @Get(':id/completions')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'A task’s completions (the cost log), newest first' })
  @ApiOkResponse({ type: MaintenanceCompletionPageResponseDto })
  @ApiNotFound('maintenance_task')
  list(@Param('id', TaskId) id: string, @Query() query: ListCompletionsQueryDto) {
    return this.completions.list(id, query);
  }
}
