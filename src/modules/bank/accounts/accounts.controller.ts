import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { PageQueryDto } from '../common/bank.zod';
import { CreateImportDto } from '../imports/imports.dto';
import {
  IMPORT_MAX_BYTES,
  ImportsService,
  type UploadedFile as StatementFile,
} from '../imports/imports.service';
import { CreateBankAccountDto, UpdateBankAccountDto } from './accounts.dto';
import { BankAccountsService } from './accounts.service';
import { UndoPayloadDto } from '../../trash/trash.dto';
import type { UndoPayload } from '../../trash/trash.undo';

/**
 * HTTP of bank accounts and statement uploads. Reads need `viewer`, writes `member`, removing an account
 * `admin`. Every path id that is not an id of ours, or names another organization's record, is the same 404.
 */

@ApiTags('bank')
@Controller('bank/accounts')
export class BankAccountsController {
  constructor(
    private readonly accounts: BankAccountsService,
    private readonly imports: ImportsService,
  ) {}

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Add a bank account (clearing and account number are stored encrypted)' })
  @ApiCreatedResponse({ description: 'The account with its full numbers' })
  create(@Body() body: CreateBankAccountDto) {
    return this.accounts.create(body);
  }

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Bank accounts, numbers masked (`8327-9 ••••6789`)' })
  list(@Query() query: PageQueryDto) {
    return this.accounts.list(query);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One bank account with its full numbers' })
  @ApiNotFound('bank_account')
  get(@Param('id', ParseGlobalIdPipe('bank_account')) id: string) {
    return this.accounts.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Rename or change a bank account' })
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
  remove(@Param('id', ParseGlobalIdPipe('bank_account')) id: string): Promise<UndoPayload> {
    return this.accounts.remove(id);
  }

  @Post(':id/imports')
  @HttpCode(202)
  @OrgScoped('member')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'camt.053 XML or CSV, at most 5 MB' },
        format: { type: 'string', enum: ['camt053', 'csv'] },
        profileId: { type: 'string' },
        mapping: { type: 'string', description: 'CSV column mapping as JSON' },
        saveProfileAs: { type: 'string' },
      },
    },
  })
  @ApiOperation({
    summary: 'Import a bank statement (camt.053, or CSV with a mapping or saved profile)',
    description:
      'Stores the file and parses it in the background: poll GET /bank/imports/{id} for status, progress and counts.',
  })
  @ApiAcceptedResponse({ description: 'The import, status `queued`' })
  @ApiPayloadTooLargeResponse({ description: 'Over 5 MB' })
  createImport(
    @Param('id', ParseGlobalIdPipe('bank_account')) id: string,
    @UploadedFile() file: StatementFile | undefined,
    @Body() body: CreateImportDto,
  ) {
    return this.imports.create(id, file, body);
  }
}
