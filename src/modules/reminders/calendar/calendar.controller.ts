import { Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../../common/auth/decorators';
import { notFound } from '../../../common/errors/domain-error';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ApiFileResponse } from '../../../common/http/api-responses';
import { CalendarFeedQueryDto, CalendarTokenResponseDto, CalendarTokenStatusDto } from './calendar.dto';
import { CalendarService } from './calendar.service';

/** 32 random bytes in base64url, then `.ics`. */
const FEED_FILE = /^([A-Za-z0-9_-]{43})\.ics$/;

@ApiTags('reminders')
@Controller()
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('calendar/:file')
  @Public()
  @ApiOperation({
    summary:
      'Your due dates as an iCalendar feed (subscribe in a calendar app); the token in the path is the key',
  })
  @ApiFileResponse(['text/calendar'], {
    description: 'RFC 5545 VCALENDAR with one all-day VEVENT per due date and a VALARM per lead time',
    format: 'text',
  })
  @ApiNotFound('calendar')
  async feed(
    @Param('file') file: string,
    @Query() query: CalendarFeedQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const token = FEED_FILE.exec(file)?.[1];
    if (!token) throw notFound('calendar');
    const body = await this.calendar.feed(token, query.lang);
    // Set only on success: an error keeps the common JSON body and type.
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Cache-Control', 'private, max-age=900');
    return body;
  }

  @Get('me/calendar-token')
  @ApiOperation({ summary: 'Whether you have a calendar feed token' })
  @ApiOkResponse({ type: CalendarTokenStatusDto })
  status() {
    return this.calendar.status();
  }

  @Post('me/calendar-token')
  @ApiOperation({ summary: 'Create or regenerate your calendar feed token (the old URL stops working)' })
  @ApiOkResponse({ type: CalendarTokenResponseDto })
  @HttpCode(200)
  issue() {
    return this.calendar.issue();
  }

  @Delete('me/calendar-token')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke your calendar feed token' })
  @ApiNoContentResponse()
  async revoke(): Promise<void> {
    await this.calendar.revoke();
  }
}
