import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  ListNotificationsQueryDto,
  MarkedReadResponseDto,
  NotificationPageResponseDto,
  NotificationResponseDto,
  ScopeQueryDto,
  UnreadCountResponseDto,
} from './inbox.dto';
import { InboxService } from './inbox.service';

const NotificationId = ParseGlobalIdPipe('notification');

/**
 * Your own notifications, across your organizations (`organizationId` narrows to one). Not organization-scoped
 * routes: the person is the owner, so they work in read-only organizations too.
 */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: 'Your in-app notifications, newest first, with the unread count' })
  @ApiOkResponse({ type: NotificationPageResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFound('organization', 'an organization you are not a member of')
  list(@Query() query: ListNotificationsQueryDto) {
    const { cursor, limit, ...rest } = query;
    return this.inbox.list(rest, { cursor, limit });
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of your notifications are unread' })
  @ApiOkResponse({ type: UnreadCountResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFound('organization', 'an organization you are not a member of')
  unread(@Query() query: ScopeQueryDto) {
    return this.inbox.unreadCount(query.organizationId);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all your notifications read (of one organization with organizationId)' })
  @ApiOkResponse({ type: MarkedReadResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFound('organization', 'an organization you are not a member of')
  readAll(@Query() query: ScopeQueryDto) {
    return this.inbox.markAllRead(query.organizationId);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiOkResponse({ type: NotificationResponseDto })
  @ApiNotFound('notification')
  read(@Param('id', NotificationId) id: string) {
    return this.inbox.markRead(id);
  }
}
