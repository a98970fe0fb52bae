import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { PageQueryDto } from '../common/bank.zod';
import { BankPolicyPageResponseDto, BankPolicyResponseDto, UpdateBankPolicyDto } from './policies.dto';
import { PoliciesService } from './policies.service';

/**
 * HTTP of counterparty policies. Reads need `viewer`, switching automatic booking `admin`. Every path id that is
 * not an id of ours, or names another organization's record, is the same 404.
 */

@ApiTags('bank')
@Controller('bank/policies')
export class BankPoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Counterparty policies with approved/rejected counts and the automatic-booking switch',
  })
  @ApiOkResponse({ type: BankPolicyPageResponseDto })
  list(@Query() query: PageQueryDto) {
    return this.policies.list(query);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One counterparty policy' })
  @ApiOkResponse({ type: BankPolicyResponseDto })
  @ApiNotFound('bank_policy')
  get(@Param('id', ParseGlobalIdPipe('bank_policy')) id: string) {
    return this.policies.get(id);
  }

  @Patch(':id')
  @OrgScoped('admin')
  @ApiOperation({
    summary:
      'Switch automatic booking (admins); enabling needs the threshold of approvals with no reject since',
  })
  @ApiOkResponse({ type: BankPolicyResponseDto })
  @ApiConflictResponse({ description: 'POLICY_THRESHOLD_NOT_MET' })
  @ApiNotFound('bank_policy')
  update(@Param('id', ParseGlobalIdPipe('bank_policy')) id: string, @Body() body: UpdateBankPolicyDto) {
    return this.policies.setAuto(id, body.autoEnabled);
  }
}
