import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseCalendarDatePipe } from '../../../common/http/parse-calendar-date.pipe';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  DeletedPaymentResponseDto,
  ListPaymentsQueryDto,
  PaymentListResponseDto,
  PaymentResponseDto,
  RecordPaymentDto,
} from './payments.dto';
import { ContractPaymentsService } from './payments.service';

const ContractId = ParseGlobalIdPipe('contract');
const PaymentDay = ParseCalendarDatePipe('contract_payment');

@ApiTags('contracts')
@Controller('contracts/:id/payments')
export class ContractPaymentsController {
  constructor(private readonly payments: ContractPaymentsService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: "A contract's scheduled payments with what each actually cost where recorded" })
  @ApiOkResponse({ type: PaymentListResponseDto })
  @ApiNotFound('contract')
  async list(@Param('id', ContractId) id: string, @Query() query: ListPaymentsQueryDto) {
    return { items: await this.payments.list(id, query) };
  }

  @Put(':date')
  @OrgScoped('member')
  @ApiOperation({
    summary:
      'Record what the payment of a day cost (variable amounts), and the transaction or bill that paid it',
  })
  @ApiOkResponse({ type: PaymentResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REFERENCE (transactionId, billId)' })
  @ApiNotFound('contract_payment')
  record(
    @Param('id', ContractId) id: string,
    @Param('date', PaymentDay) date: string,
    @Body() body: RecordPaymentDto,
  ) {
    return this.payments.record(id, date, body);
  }

  @Delete(':date')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Move a recorded amount to the trash (the scheduled amount counts again)' })
  @ApiOkResponse({ type: DeletedPaymentResponseDto })
  @ApiNotFound('contract_payment')
  remove(@Param('id', ContractId) id: string, @Param('date', PaymentDay) date: string) {
    return this.payments.remove(id, date);
  }
}
