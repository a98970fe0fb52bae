import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowWhenReadOnly, OrgScoped } from '../../../common/auth/decorators';
import { MonthlyMailDto, MonthlyMailResponseDto } from '../reports/reports.dto';
import { MonthlyReportsService } from './monthly.service';

@ApiTags('reports')
@Controller('reports/monthly-mail')
export class MonthlyReportsController {
  constructor(private readonly monthly: MonthlyReportsService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: "Whether I get this organization's monthly report by mail" })
  @ApiOkResponse({ type: MonthlyMailResponseDto })
  get() {
    return this.monthly.setting();
  }

  @Put()
  @OrgScoped('viewer')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: 'Turn my monthly report mail for this organization on or off',
    description:
      'On the 1st of each month at 07:00 (Stockholm) each member who turned it on gets a PDF of the month just ended, in their language, linked from a mail with the key figures; once per member and month.',
  })
  @ApiOkResponse({ type: MonthlyMailResponseDto })
  change(@Body() body: MonthlyMailDto) {
    return this.monthly.change(body.enabled);
  }
}
