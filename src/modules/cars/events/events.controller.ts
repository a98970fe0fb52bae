import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { CarStatsResponseDto } from '../stats/stats.dto';
import { CarStatsService } from '../stats/stats.service';
import {
  CarEventPageResponseDto,
  CarEventResponseDto,
  CreateCarEventDto,
  DeletedCarEventResponseDto,
  ListCarEventsQueryDto,
  UpdateCarEventDto,
} from './events.dto';
import { CarEventsService } from './events.service';

const CarId = ParseGlobalIdPipe('car');
const EventId = ParseGlobalIdPipe('car_event');

@ApiTags('cars')
@Controller('cars/:id')
export class CarEventsController {
  constructor(
    private readonly events: CarEventsService,
    private readonly stats: CarStatsService,
  ) {}

  @Get('events')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: "A car's events (fuel, service, repair, tyres, inspection, tax, …), newest first",
  })
  @ApiOkResponse({ type: CarEventPageResponseDto })
  @ApiNotFound('car')
  list(@Param('id', CarId) id: string, @Query() query: ListCarEventsQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.events.list(id, filter, { cursor, limit });
  }

  @Post('events')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Add an event; an odometer reading that does not fit is refused unless confirmed',
  })
  @ApiCreatedResponse({ type: CarEventResponseDto })
  @ApiUnprocessableEntityResponse({
    description: 'ODOMETER_IMPLAUSIBLE (details: reason, previous/next, kmPerDay)',
  })
  @ApiNotFound('car')
  create(@Param('id', CarId) id: string, @Body() body: CreateCarEventDto) {
    return this.events.create(id, body);
  }

  @Patch('events/:eventId')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Change an event (the odometer guard runs again)' })
  @ApiOkResponse({ type: CarEventResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'ODOMETER_IMPLAUSIBLE' })
  @ApiNotFound('car_event')
  update(
    @Param('id', CarId) id: string,
    @Param('eventId', EventId) eventId: string,
    @Body() body: UpdateCarEventDto,
  ) {
    return this.events.update(id, eventId, body);
  }

  @Delete('events/:eventId')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Move an event to the trash (answers the undo payload)' })
  @ApiOkResponse({ type: DeletedCarEventResponseDto })
  @ApiNotFound('car_event')
  remove(@Param('id', CarId) id: string, @Param('eventId', EventId) eventId: string) {
    return this.events.remove(id, eventId);
  }

  @Get('stats')
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Cost per month, year and kind, per km, consumption per 100 km, stations, total cost of ownership',
  })
  @ApiOkResponse({ type: CarStatsResponseDto })
  @ApiNotFound('car')
  carStats(@Param('id', CarId) id: string) {
    return this.stats.stats(id);
  }
}
