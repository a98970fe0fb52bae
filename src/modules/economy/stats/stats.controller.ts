import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { DashboardQueryDto, DashboardResponseDto, StatsQueryDto, StatsResponseDto } from './stats.dto';
import { StatsService } from './stats.service';

@ApiTags('economy')
@Controller('economy')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('stats')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Income and expense totals in a date range, by month, category or supplier',
    description:
      'groupBy=month lists every month of the range, empty ones too. Amounts in öre, one currency.',
  })
  @ApiOkResponse({ type: StatsResponseDto })
  get(@Query() query: StatsQueryDto) {
    return this.stats.stats(query);
  }

  @Get('dashboard')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'This month vs last, top expense categories, 12-month trend, income vs expense' })
  @ApiOkResponse({ type: DashboardResponseDto })
  dashboard(@Query() query: DashboardQueryDto) {
    return this.stats.dashboard(query.currency);
  }
}
