import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import {
  AddNetworkDto,
  NetworkListResponseDto,
  NetworkResponseDto,
  RemoveNetworkQueryDto,
} from './networks.dto';
import { NetworksService } from './networks.service';

/** Platform admins: networks webhooks may reach although they are not public (a LAN Home Assistant). */
@ApiTags('admin')
@Controller('admin/webhooks/allowed-networks')
@Roles('admin')
export class NetworksController {
  constructor(private readonly networks: NetworksService) {}

  @Get()
  @ApiOperation({ summary: 'Allowed networks: WEBHOOKS_ALLOWED_NETWORKS and the admins’ list' })
  @ApiOkResponse({ type: NetworkListResponseDto })
  list() {
    return this.networks.list();
  }

  @Post()
  @ApiOperation({ summary: 'Allow a LAN host or network (metadata addresses stay refused)' })
  @ApiCreatedResponse({ type: NetworkResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_NETWORK' })
  @ApiConflictResponse({ description: 'NETWORK_ALREADY_ALLOWED' })
  add(@Body() body: AddNetworkDto) {
    return this.networks.add(body.cidr, body.note ?? null);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a network from the admins’ list' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFound('webhook_allowed_network')
  remove(@Query() query: RemoveNetworkQueryDto) {
    return this.networks.remove(query.cidr);
  }
}
