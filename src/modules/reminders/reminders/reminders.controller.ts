import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  ListRemindersQueryDto,
  ReminderPageResponseDto,
  ReminderResponseDto,
  ReminderSettingsDto,
  ReminderSettingsResponseDto,
  SnoozeReminderDto,
} from './reminders.dto';
import { RemindersService } from './reminders.service';

const ReminderId = ParseGlobalIdPipe('reminder');

@ApiTags('reminders')
@Controller('reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Open reminders due on a day (default today): last days to cancel, renewals, price changes, bills…',
  })
  @ApiOkResponse({ type: ReminderPageResponseDto })
  list(@Query() query: ListRemindersQueryDto) {
    const { cursor, limit, ...rest } = query;
    return this.reminders.list(rest, { cursor, limit });
  }

  @Get('settings')
  @ApiOperation({ summary: 'Your reminder kinds, on or off (in every organization)' })
  @ApiOkResponse({ type: ReminderSettingsResponseDto })
  settings() {
    return this.reminders.settingsOf();
  }

  @Put('settings')
  @ApiOperation({ summary: 'Turn reminder kinds on or off for yourself' })
  @ApiOkResponse({ type: ReminderSettingsResponseDto })
  setSettings(@Body() body: ReminderSettingsDto) {
    return this.reminders.setKinds(body.kinds);
  }

  @Post(':id/snooze')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({ summary: 'Hide a reminder until a later day' })
  @ApiOkResponse({ type: ReminderResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_SNOOZE (not after today)' })
  @ApiNotFound('reminder')
  snooze(@Param('id', ReminderId) id: string, @Body() body: SnoozeReminderDto) {
    return this.reminders.snooze(id, body.until);
  }

  @Post(':id/done')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({ summary: 'Mark a reminder done (it does not come back for this occasion)' })
  @ApiOkResponse({ type: ReminderResponseDto })
  @ApiNotFound('reminder')
  done(@Param('id', ReminderId) id: string) {
    return this.reminders.done(id);
  }
}
