import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { EventResponseDto } from '../deliveries/deliveries.dto';
import { EventCatalogueResponseDto } from './events.dto';
import { EventsService } from './events.service';

@ApiTags('webhooks')
@Controller('webhooks')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get('events')
  @ApiOperation({
    summary: 'Every event type an endpoint can subscribe to, with titles and an example payload',
  })
  @ApiOkResponse({ type: EventCatalogueResponseDto })
  catalogue() {
    return this.events.catalogue();
  }

  @Get('messages/:id')
  @OrgScoped('admin')
  @ApiOperation({ summary: 'One sent event in full (where a trimmed payload’s data.href leads)' })
  @ApiOkResponse({ type: EventResponseDto })
  @ApiNotFound('webhook_event')
  get(@Param('id', ParseGlobalIdPipe('webhook_event')) id: string) {
    return this.events.get(id);
  }
}
