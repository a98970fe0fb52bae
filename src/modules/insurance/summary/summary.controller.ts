import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { InsuranceSummaryResponseDto } from './summary.dto';
import { InsuranceSummaryService } from './summary.service';

/** Registered before InsurancePoliciesController, so `/insurance/summary` is not read as a policy id. */
@ApiTags('insurance')
@Controller('insurance/summary')
export class InsuranceSummaryController {
  constructor(private readonly summary: InsuranceSummaryService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Yearly premium in total and per type, and the renewals of the next 60 days' })
  @ApiOkResponse({ type: InsuranceSummaryResponseDto })
  get() {
    return this.summary.summary();
  }
}
