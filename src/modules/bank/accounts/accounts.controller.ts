import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { PageQueryDto } from '../common/bank.zod';
import {
  BankAccountPageResponseDto,
  BankAccountResponseDto,
  CreateBankAccountDto,
  UpdateBankAccountDto,
} from './accounts.dto';
import { BankAccountsService } from './accounts.service';
import { UndoPayloadDto } from '../../trash/trash.dto';
import type { UndoPayload } from '../../trash/trash.undo';

/**
 * HTTP of bank accounts (statement uploads to an account: imports.controller.ts). Reads need `viewer`, writes `member`, removing an account
 * `admin`. Every path id that is not an id of ours, or names another organization's record, is the same 404.
 */

@ApiTags('bank')
@Controller('bank/accounts')
export class BankAccountsController {
  constructor(private readonly accounts: BankAccountsService) {}

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Add a bank account (clearing and account number are stored encrypted)' })
  @ApiCreatedResponse({ type: BankAccountResponseDto, description: 'The account with its full numbers' })
  create(@Body() body: CreateBankAccountDto) {
    return this.accounts.create(body);
  }

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Bank accounts, numbers masked (`8327-9 ••••6789`)' })
  @ApiOkResponse({ type: BankAccountPageResponseDto })
  list(@Query() query: PageQueryDto) {
    return this.accounts.list(query);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One bank account with its full numbers' })
  @ApiOkResponse({ type: BankAccountResponseDto })
  @ApiNotFound('bank_account')
  get(@Param('id', ParseGlobalIdPipe('bank_account')) id: string) {
    return this.accounts.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Rename or change a bank account' })
  @ApiOkResponse({ type: BankAccountResponseDto })
  @ApiNotFound('bank_account')
  update(@Param('id', ParseGlobalIdPipe('bank_account')) id: string, @Body() body: UpdateBankAccountDto) {
    return this.accounts.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('admin')
  @ApiOperation({
    summary:
      'Move a bank account to the trash (its lines, imports and vouchers stay); answers the undo payload',
  })
  @ApiOkResponse({ type: UndoPayloadDto })
  @ApiNotFound('bank_account')
  remove(@Param('id', ParseGlobalIdPipe('bank_account')) id: string): Promise<UndoPayload> {
    return this.accounts.remove(id);
  }
}
