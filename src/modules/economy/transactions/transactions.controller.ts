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
  BulkCreatedResponseDto,
  BulkCreateTransactionsDto,
  CreateTransactionDto,
  ListTransactionsQueryDto,
  TransactionPageResponseDto,
  TransactionResponseDto,
  UpdateTransactionDto,
} from './transactions.dto';
import { TransactionsService } from './transactions.service';
import { ApiNotFound } from '../../../common/http/api-not-found';

@ApiTags('transactions')
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Transactions, filtered, sorted and paged',
    description:
      'Filters combine. `categoryId` includes subcategories; `text` matches description or note in any case. Pages: pass `nextCursor` back as `cursor` with the same sort.',
  })
  @ApiOkResponse({ type: TransactionPageResponseDto })
  list(@Query() query: ListTransactionsQueryDto) {
    const { cursor, limit, sort, from, to, ...filter } = query;
    const field = sort.replace('-', '') as 'date' | 'amount';
    return this.transactions.list(
      { ...filter, dateFrom: from, dateTo: to },
      { field, direction: sort.startsWith('-') ? -1 : 1 },
      { cursor, limit },
    );
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Create a transaction (source manual)' })
  @ApiCreatedResponse({ type: TransactionResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REFERENCE, CATEGORY_KIND_MISMATCH' })
  create(@Body() body: CreateTransactionDto) {
    return this.transactions.create(body);
  }

  @Post('bulk')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Create up to 1000 transactions at once',
    description:
      'All or nothing: every item is validated and its references checked before anything is written. The ids are one consecutive block, in item order.',
  })
  @ApiCreatedResponse({ type: BulkCreatedResponseDto })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED (path items.N.field), INVALID_REFERENCE / CATEGORY_KIND_MISMATCH (details: [{index, field, code}])',
  })
  bulk(@Body() body: BulkCreateTransactionsDto) {
    return this.transactions.bulkCreate(body.items);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One transaction' })
  @ApiOkResponse({ type: TransactionResponseDto })
  @ApiNotFound('transaction')
  get(@Param('id', ParseGlobalIdPipe('transaction')) id: string) {
    return this.transactions.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary:
      'Change a transaction (date, amount, type and currency are locked while a bank line is matched with it)',
  })
  @ApiOkResponse({ type: TransactionResponseDto })
  @ApiConflictResponse({ description: 'LINKED_TO_BANK_LINE' })
  @ApiNotFound('transaction')
  update(@Param('id', ParseGlobalIdPipe('transaction')) id: string, @Body() body: UpdateTransactionDto) {
    return this.transactions.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary:
      'Move a transaction to the trash (answers the undo payload); refused while a bank line is matched with it',
  })
  @ApiOkResponse({ type: DeletedResponseDto })
  @ApiConflictResponse({ description: 'LINKED_TO_BANK_LINE' })
  @ApiNotFound('transaction')
  remove(@Param('id', ParseGlobalIdPipe('transaction')) id: string) {
    return this.transactions.remove(id);
  }
}
