import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CreatePolicyDto,
  DeletedPolicyResponseDto,
  ListPoliciesQueryDto,
  PolicyPageResponseDto,
  PolicyResponseDto,
  UpdatePolicyDto,
} from './policies.dto';
import { InsurancePoliciesService } from './policies.service';

const PolicyId = ParseGlobalIdPipe('insurance_policy');
const BAD_REQUEST =
  'VALIDATION_FAILED, INVALID_REFERENCE (insurerId, carId), INSURER_REQUIRED, ONE_LINK_ONLY';

@ApiTags('insurance')
@Controller('insurance')
export class InsurancePoliciesController {
  constructor(private readonly policies: InsurancePoliciesService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Insurance policies by type (policy numbers masked for viewers)' })
  @ApiOkResponse({ type: PolicyPageResponseDto })
  list(@Query() query: ListPoliciesQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.policies.list(filter, { cursor, limit });
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Add an insurance policy (the policy number is stored encrypted)' })
  @ApiCreatedResponse({ type: PolicyResponseDto })
  @ApiBadRequestResponse({ description: BAD_REQUEST })
  create(@Body() body: CreatePolicyDto) {
    return this.policies.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One insurance policy (the policy number masked for viewers)' })
  @ApiOkResponse({ type: PolicyResponseDto })
  @ApiNotFound('insurance_policy')
  get(@Param('id', PolicyId) id: string) {
    return this.policies.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary:
      'Change a policy (null clears an optional field; insurerId/insurerName and carId/item replace each other)',
  })
  @ApiOkResponse({ type: PolicyResponseDto })
  @ApiBadRequestResponse({ description: BAD_REQUEST })
  @ApiNotFound('insurance_policy')
  update(@Param('id', PolicyId) id: string, @Body() body: UpdatePolicyDto) {
    return this.policies.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Move a policy and its documents to the trash (answers the undo payload)' })
  @ApiOkResponse({ type: DeletedPolicyResponseDto })
  @ApiNotFound('insurance_policy')
  remove(@Param('id', PolicyId) id: string) {
    return this.policies.remove(id);
  }
}
