import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { AnomalyPageResponseDto, AnomalyResponseDto, ListAnomaliesQueryDto } from './anomalies.dto';
import { AnomaliesService } from './anomalies.service';

const AnomalyId = ParseGlobalIdPipe('ai_anomaly');

@ApiTags('ai')
@Controller('ai/anomalies')
export class AnomaliesController {
  constructor(private readonly anomalies: AnomaliesService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Detected anomalies, newest first: unusual amounts, price increases, duplicate charges, new merchants with large amounts, category spikes, bills paid twice, contracts charging after their end',
  })
  @ApiOkResponse({ type: AnomalyPageResponseDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (unknown kind/severity/status, bad month or cursor)',
  })
  list(@Query() query: ListAnomaliesQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.anomalies.list(filter, { cursor, limit });
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One anomaly with the records involved and the reason (sv/en)' })
  @ApiOkResponse({ type: AnomalyResponseDto })
  @ApiNotFound('ai_anomaly')
  get(@Param('id', AnomalyId) id: string) {
    return this.anomalies.get(id);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({ summary: 'Dismiss an anomaly (seen, nothing to do); audited' })
  @ApiOkResponse({ type: AnomalyResponseDto })
  @ApiNotFound('ai_anomaly')
  dismiss(@Param('id', AnomalyId) id: string) {
    return this.anomalies.resolve(id, 'dismissed');
  }

  @Post(':id/normal')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary:
      '"This is normal": the anomaly is closed and the same pattern for its merchant or category is not flagged again up to 1.25 × its amount; audited',
  })
  @ApiOkResponse({ type: AnomalyResponseDto })
  @ApiNotFound('ai_anomaly')
  normal(@Param('id', AnomalyId) id: string) {
    return this.anomalies.resolve(id, 'normal');
  }
}
