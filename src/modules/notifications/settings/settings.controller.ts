import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Public } from '../../../common/auth/decorators';
import {
  NotificationSettingsResponseDto,
  UnsubscribeQueryDto,
  UnsubscribeResponseDto,
  UpdateNotificationSettingsDto,
} from './settings.dto';
import { NotificationSettingsService } from './settings.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get()
  @ApiOperation({
    summary: 'Your notification settings per kind (in every organization), quiet hours and announcements',
  })
  @ApiOkResponse({ type: NotificationSettingsResponseDto })
  get() {
    return this.settings.mine();
  }

  @Put()
  @ApiOperation({ summary: 'Change some kinds, the quiet hours or announcements (fields left out are kept)' })
  @ApiOkResponse({ type: NotificationSettingsResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiUnprocessableEntityResponse({ description: 'CHANNEL_NOT_OFFERED, INVALID_QUIET_HOURS' })
  update(@Body() body: UpdateNotificationSettingsDto) {
    return this.settings.update(body);
  }
}

/** The link in every mass mail; POST is the one-click form of RFC 8058 (`List-Unsubscribe-Post`). */
@ApiTags('notifications')
@Controller('notifications/unsubscribe')
export class UnsubscribeController {
  constructor(private readonly settings: NotificationSettingsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Stop mass mails (the link in the mail); answers a text in your language' })
  @ApiOkResponse({ type: UnsubscribeResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_UNSUBSCRIBE_TOKEN' })
  open(@Query() query: UnsubscribeQueryDto) {
    return this.settings.unsubscribe(query.token);
  }

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'One-click unsubscribe (mail clients, RFC 8058); the body is ignored' })
  @ApiOkResponse({ type: UnsubscribeResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_UNSUBSCRIBE_TOKEN' })
  oneClick(@Query() query: UnsubscribeQueryDto) {
    return this.settings.unsubscribe(query.token);
  }
}
