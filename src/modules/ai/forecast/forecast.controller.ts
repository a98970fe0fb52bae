import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ForecastQueryDto, ForecastResponseDto } from './forecast.dto';
import { ForecastService } from './forecast.service';

@ApiTags('ai')
@Controller('ai/forecast')
export class ForecastController {
  constructor(private readonly forecasts: ForecastService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Cost forecast per category and in total, per month: known contract payments and open bills plus a model of the rest from history, with a ≈ 90 % interval and the reasons in Swedish and English',
  })
  @ApiOkResponse({ type: ForecastResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (months outside 1–12, a malformed category id)' })
  forecast(@Query() query: ForecastQueryDto) {
    return this.forecasts.forecast({ months: query.months, categoryIds: query.categories });
  }
}
