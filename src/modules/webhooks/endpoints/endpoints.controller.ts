import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { AllowWhenReadOnly, OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { pageQuery } from '../../../common/http/zod';
import { DeliveryPageResponseDto, DeliveryResponseDto } from '../deliveries/deliveries.dto';
import {
  CreateEndpointDto,
  DeletedEndpointResponseDto,
  EndpointPageResponseDto,
  EndpointResponseDto,
  EndpointWithSecretResponseDto,
  ListDeliveriesQueryDto,
  ReplayedResponseDto,
  ReplaySinceDto,
  RotateSecretDto,
  UpdateEndpointDto,
} from './endpoints.dto';
import { EndpointsService } from './endpoints.service';
import { createZodDto } from '../../../common/http/zod';

const EndpointId = ParseGlobalIdPipe('webhook_endpoint');
class ListEndpointsQueryDto extends createZodDto(pageQuery) {}

/** Webhook endpoints of the organization: settings with secrets, so admins and owners only. */
@ApiTags('webhooks')
@Controller('webhooks/endpoints')
export class EndpointsController {
  constructor(private readonly endpoints: EndpointsService) {}

  @Get()
  @OrgScoped('admin')
  @ApiOperation({ summary: 'The organization’s webhook endpoints, newest first' })
  @ApiOkResponse({ type: EndpointPageResponseDto })
  list(@Query() query: ListEndpointsQueryDto) {
    return this.endpoints.list(query);
  }

  @Post()
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Add an endpoint; the answer holds its signing secret, shown only this once' })
  @ApiCreatedResponse({ type: EndpointWithSecretResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, UNKNOWN_EVENT_TYPE' })
  @ApiConflictResponse({ description: 'TOO_MANY_ENDPOINTS (20 per organization)' })
  @ApiUnprocessableEntityResponse({
    description: 'WEBHOOK_URL_FORBIDDEN (details.reason: loopback, private, …)',
  })
  create(@Body() body: CreateEndpointDto) {
    return this.endpoints.create(body);
  }

  @Get(':id')
  @OrgScoped('admin')
  @ApiOperation({ summary: 'One endpoint (URL masked, secrets without their values)' })
  @ApiOkResponse({ type: EndpointResponseDto })
  @ApiNotFound('webhook_endpoint')
  get(@Param('id', EndpointId) id: string) {
    return this.endpoints.get(id);
  }

  @Patch(':id')
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Change name, URL, format, language or event types' })
  @ApiOkResponse({ type: EndpointResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, UNKNOWN_EVENT_TYPE' })
  @ApiUnprocessableEntityResponse({ description: 'WEBHOOK_URL_FORBIDDEN' })
  @ApiNotFound('webhook_endpoint')
  update(@Param('id', EndpointId) id: string, @Body() body: UpdateEndpointDto) {
    return this.endpoints.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('admin')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: 'Move an endpoint to the trash (answers the undo payload); works in read-only mode',
  })
  @ApiOkResponse({ type: DeletedEndpointResponseDto })
  @ApiNotFound('webhook_endpoint')
  remove(@Param('id', EndpointId) id: string) {
    return this.endpoints.remove(id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Enable an endpoint (after a manual or automatic disable)' })
  @ApiOkResponse({ type: EndpointResponseDto })
  @ApiNotFound('webhook_endpoint')
  enable(@Param('id', EndpointId) id: string) {
    return this.endpoints.setEnabled(id, true);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @OrgScoped('admin')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: 'Disable an endpoint: pending deliveries fail (replay them later); works in read-only mode',
  })
  @ApiOkResponse({ type: EndpointResponseDto })
  @ApiNotFound('webhook_endpoint')
  disable(@Param('id', EndpointId) id: string) {
    return this.endpoints.setEnabled(id, false);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({
    summary: 'New signing secret (shown once); the earlier ones keep signing for overlapHours',
  })
  @ApiOkResponse({ type: EndpointWithSecretResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFound('webhook_endpoint')
  rotate(@Param('id', EndpointId) id: string, @Body() body: RotateSecretDto) {
    return this.endpoints.rotateSecret(id, body.overlapHours);
  }

  @Post(':id/test')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({
    summary: 'Send a webhook.test message now; answers its delivery with the attempt (no retries)',
  })
  @ApiOkResponse({ type: DeliveryResponseDto })
  @ApiNotFound('webhook_endpoint')
  test(@Param('id', EndpointId) id: string) {
    return this.endpoints.test(id);
  }

  @Get(':id/deliveries')
  @OrgScoped('admin')
  @ApiOperation({ summary: 'The delivery log: status, attempts with status code and timing, newest first' })
  @ApiOkResponse({ type: DeliveryPageResponseDto })
  @ApiNotFound('webhook_endpoint')
  deliveries(@Param('id', EndpointId) id: string, @Query() query: ListDeliveriesQueryDto) {
    const { status, ...page } = query;
    return this.endpoints.deliveriesOf(id, status, page);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Send again every failed (or every) delivery created since a time' })
  @ApiOkResponse({ type: ReplayedResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({ description: 'ENDPOINT_DISABLED' })
  @ApiNotFound('webhook_endpoint')
  replay(@Param('id', EndpointId) id: string, @Body() body: ReplaySinceDto) {
    return this.endpoints.replaySince(id, new Date(body.since), body.which ?? 'failed');
  }
}
