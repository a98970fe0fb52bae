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
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CancelContractDto,
  ContractPageResponseDto,
  ContractResponseDto,
  CreateContractDto,
  DeletedContractResponseDto,
  ListContractsQueryDto,
  PriceChangeDto,
  UpdateContractDto,
} from './contracts.dto';
import { ContractsService } from './contracts.service';

const ContractId = ParseGlobalIdPipe('contract');

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Contracts and subscriptions by name, with status, next payments, costs and the last day to cancel',
  })
  @ApiOkResponse({ type: ContractPageResponseDto })
  list(@Query() query: ListContractsQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.contracts.list(filter, { cursor, limit });
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Add a contract or subscription' })
  @ApiCreatedResponse({ type: ContractResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REFERENCE (providerId, categoryId)' })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_SCHEDULE, TOO_MANY_PRICE_CHANGES' })
  create(@Body() body: CreateContractDto) {
    return this.contracts.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One contract with its outlook for today' })
  @ApiOkResponse({ type: ContractResponseDto })
  @ApiNotFound('contract')
  get(@Param('id', ContractId) id: string) {
    return this.contracts.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Change a contract (null clears an optional field; prices change through /prices)',
  })
  @ApiOkResponse({ type: ContractResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REFERENCE' })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_SCHEDULE' })
  @ApiNotFound('contract')
  update(@Param('id', ContractId) id: string, @Body() body: UpdateContractDto) {
    return this.contracts.update(id, body);
  }

  @Post(':id/prices')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({ summary: 'A new price from a date on (the price history keeps the old one)' })
  @ApiOkResponse({ type: ContractResponseDto })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_SCHEDULE, TOO_MANY_PRICE_CHANGES' })
  @ApiNotFound('contract')
  changePrice(@Param('id', ContractId) id: string, @Body() body: PriceChangeDto) {
    return this.contracts.changePrice(id, body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Record the notice (uppsägning): the contract ends at the end of the term the notice reaches',
  })
  @ApiOkResponse({ type: ContractResponseDto })
  @ApiConflictResponse({ description: 'CONTRACT_ALREADY_ENDED' })
  @ApiUnprocessableEntityResponse({
    description: 'INVALID_SCHEDULE (noticeDate after today or before the start)',
  })
  @ApiNotFound('contract')
  cancel(@Param('id', ContractId) id: string, @Body() body: CancelContractDto) {
    return this.contracts.cancel(id, body.noticeDate);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({ summary: 'Take a notice back: the contract runs on' })
  @ApiOkResponse({ type: ContractResponseDto })
  @ApiConflictResponse({ description: 'CONTRACT_NOT_CANCELLED' })
  @ApiNotFound('contract')
  reactivate(@Param('id', ContractId) id: string) {
    return this.contracts.reactivate(id);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Move a contract to the trash (answers the undo payload)' })
  @ApiOkResponse({ type: DeletedContractResponseDto })
  @ApiNotFound('contract')
  remove(@Param('id', ContractId) id: string) {
    return this.contracts.remove(id);
  }
}
