import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { DeletedResponseDto } from '../suppliers/suppliers.dto';
import {
  BillPageResponseDto,
  BillResponseDto,
  CreateBillDto,
  ListBillsQueryDto,
  UpdateBillDto,
} from './bills.dto';
import { BillsService } from './bills.service';
import { ApiNotFound } from '../../../common/http/api-not-found';

@ApiTags('bills')
@Controller('bills')
export class BillsController {
  constructor(private readonly bills: BillsService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Bills (räkningar) by due date, earliest first' })
  @ApiOkResponse({ type: BillPageResponseDto })
  list(@Query() query: ListBillsQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.bills.list(filter, { cursor, limit });
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Register a bill to pay (status open)' })
  @ApiCreatedResponse({ type: BillResponseDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (OCR check digit …), INVALID_OCR (length digit), INVALID_REFERENCE',
  })
  @ApiConflictResponse({ description: 'BILL_DUPLICATE: same supplier and invoice number' })
  create(@Body() body: CreateBillDto) {
    return this.bills.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One bill' })
  @ApiOkResponse({ type: BillResponseDto })
  @ApiNotFound('bill')
  get(@Param('id', ParseGlobalIdPipe('bill')) id: string) {
    return this.bills.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Change a bill, or mark it paid/open by hand',
    description:
      'A bill paid through bank matching keeps supplier, OCR, amount and status until the match is undone.',
  })
  @ApiOkResponse({ type: BillResponseDto })
  @ApiConflictResponse({ description: 'LINKED_TO_BANK_LINE, BILL_DUPLICATE' })
  @ApiNotFound('bill')
  update(@Param('id', ParseGlobalIdPipe('bill')) id: string, @Body() body: UpdateBillDto) {
    return this.bills.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Move a bill to the trash (answers the undo payload); refused for a bill a bank line paid',
  })
  @ApiOkResponse({ type: DeletedResponseDto })
  @ApiConflictResponse({ description: 'LINKED_TO_BANK_LINE' })
  @ApiNotFound('bill')
  remove(@Param('id', ParseGlobalIdPipe('bill')) id: string) {
    return this.bills.remove(id);
  }
}
