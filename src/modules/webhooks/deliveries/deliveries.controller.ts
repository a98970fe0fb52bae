import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { DeliveryResponseDto } from './deliveries.dto';
import { DeliveriesService } from './deliveries.service';

const DeliveryId = ParseGlobalIdPipe('webhook_delivery');

@ApiTags('webhooks')
@Controller('webhooks/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get(':id')
  @OrgScoped('admin')
  @ApiOperation({
    summary: 'One delivery with every attempt (status code, timing, error, start of the answer)',
  })
  @ApiOkResponse({ type: DeliveryResponseDto })
  @ApiNotFound('webhook_delivery')
  get(@Param('id', DeliveryId) id: string) {
    return this.deliveries.get(id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({
    summary: 'Send one delivery again (same webhook-id), from the start of the retry schedule',
  })
  @ApiOkResponse({ type: DeliveryResponseDto })
  @ApiConflictResponse({ description: 'ENDPOINT_DISABLED' })
  @ApiNotFound('webhook_delivery')
  replay(@Param('id', DeliveryId) id: string) {
    return this.deliveries.replayDelivery(id);
  }
}
