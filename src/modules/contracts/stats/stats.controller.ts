import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ContractStatsQueryDto, ContractStatsResponseDto } from './stats.dto';
import { ContractStatsService } from './stats.service';

/** Registered before ContractsController, so `/contracts/stats` is not read as a contract id. */
@ApiTags('contracts')
@Controller('contracts/stats')
export class ContractStatsController {
  constructor(private readonly stats: ContractStatsService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Cost per month and year (total, by kind and category), upcoming payments, the last 12 months and price increases',
  })
  @ApiOkResponse({ type: ContractStatsResponseDto })
  get(@Query() query: ContractStatsQueryDto) {
    return this.stats.stats(query.months);
  }
}
