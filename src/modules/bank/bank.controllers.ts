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
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped, RequiresFullAccess } from '../../common/auth/decorators';
import { ParseGlobalIdPipe } from '../../common/http/parse-global-id.pipe';
import { BankAccountsService } from './accounts/accounts.service';
import {
  ApproveDto,
  CreateBankAccountDto,
  CreateCsvProfileDto,
  CreateImportDto,
  ExportSieQueryDto,
  IgnoreDto,
  ListImportsQueryDto,
  ListLinesQueryDto,
  ListVouchersQueryDto,
  PageQueryDto,
  RejectDto,
  UpdateBankAccountDto,
  UpdateCsvProfileDto,
  UpdatePolicyDto,
  UpdateSettingsDto,
} from './bank.dto';
import {
  IMPORT_MAX_BYTES,
  ImportsService,
  type UploadedFile as StatementFile,
} from './imports/imports.service';
import { lineView } from './lines/line-view';
import { LinesService } from './lines/lines.service';
import { BookingService, type ApproveInput } from './matching/booking.service';
import { PoliciesService } from './policies/policies.service';
import { VouchersService } from './vouchers/vouchers.service';
import { ApiNotFound } from '../../common/http/api-not-found';

/**
 * HTTP of the bank module. Reads need `viewer`, writes `member`, ignoring a line and switching automatic booking
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
  @HttpCode(204)
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Remove a bank account (soft delete; its lines and vouchers stay)' })
  @ApiNoContentResponse()
  async remove(@Param('id', ParseGlobalIdPipe('bank_account')) id: string): Promise<void> {
    await this.accounts.remove(id);
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

@ApiTags('bank')
@Controller('bank')
export class BankImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Get('imports')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Statement imports, newest first' })
  list(@Query() query: ListImportsQueryDto) {
    const { bankAccountId, ...page } = query;
    return this.imports.list({ bankAccountId }, page);
  }

  @Get('imports/:id')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Status, progress and counts (created / duplicates / rejected, with line numbers and reasons)',
  })
  @ApiNotFound('bank_import')
  get(@Param('id', ParseGlobalIdPipe('bank_import')) id: string) {
    return this.imports.get(id);
  }

  @Post('csv-profiles')
  @OrgScoped('member')
  @ApiOperation({ summary: "Save a named CSV column mapping (one per bank's export format)" })
  @ApiConflictResponse({ description: 'CSV_PROFILE_NAME_TAKEN' })
  createProfile(@Body() body: CreateCsvProfileDto) {
    return this.imports.saveProfile(body.name, body.mapping);
  }

  @Get('csv-profiles')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Saved CSV profiles' })
  listProfiles() {
    return this.imports.listProfiles();
  }

  @Get('csv-profiles/:id')
  @OrgScoped('viewer')
  getProfile(@Param('id', ParseGlobalIdPipe('csv_profile')) id: string) {
    return this.imports.getProfile(id);
  }

  @Patch('csv-profiles/:id')
  @OrgScoped('member')
  updateProfile(
    @Param('id', ParseGlobalIdPipe('csv_profile')) id: string,
    @Body() body: UpdateCsvProfileDto,
  ) {
    return this.imports.updateProfile(id, body);
  }

  @Delete('csv-profiles/:id')
  @HttpCode(204)
  @OrgScoped('member')
  @ApiNoContentResponse()
  async deleteProfile(@Param('id', ParseGlobalIdPipe('csv_profile')) id: string): Promise<void> {
    await this.imports.deleteProfile(id);
  }
}

@ApiTags('bank')
@Controller('bank')
export class BankLinesController {
  constructor(
    private readonly lines: LinesService,
    private readonly booking: BookingService,
    private readonly imports: ImportsService,
  ) {}

  @Get('lines')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Bank lines, newest booking date first, with filters' })
  list(@Query() query: ListLinesQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.lines.list(filter, cursor, limit);
  }

  @Post('lines/rematch')
  @HttpCode(202)
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Recompute suggestions (and automatic bookings) for all open lines in the background',
  })
  rematch() {
    return this.imports.requestRematch();
  }

  @Get('lines/:id')
  @OrgScoped('viewer')
  @ApiNotFound('bank_line')
  get(@Param('id', ParseGlobalIdPipe('bank_line')) id: string) {
    return this.lines.get(id);
  }

  @Get('lines/:id/suggestions')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Ranked candidates for the line: {candidate {type, id}, confidence 0–1, why {sv, en}, signals}',
    description:
      'Computed fresh from the open bills and unlinked transactions; rejected candidates are left out.',
  })
  suggestions(@Param('id', ParseGlobalIdPipe('bank_line')) id: string) {
    return this.lines.suggestions(id);
  }

  @Post('lines/:id/approve')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Book the line: a suggested candidate, or a new transaction in a category',
    description:
      'Marks the bill paid / links (or creates) the transaction, writes the voucher, updates the policy. Retrying completes an interrupted booking.',
  })
  @ApiConflictResponse({ description: 'LINE_NOT_OPEN, CANDIDATE_NOT_AVAILABLE, LINE_BOOKING_IN_PROGRESS' })
  approve(@Param('id', ParseGlobalIdPipe('bank_line')) id: string, @Body() body: ApproveDto) {
    const input: ApproveInput = body.candidateId
      ? { candidateId: body.candidateId }
      : { create: body.create! };
    return this.booking.approve(id, input);
  }

  @Post('lines/:id/reject')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary:
      "Reject a suggestion: recorded, the counterparty's rejected_count grows, automatic booking turns off",
  })
  reject(@Param('id', ParseGlobalIdPipe('bank_line')) id: string, @Body() body: RejectDto) {
    return this.booking.reject(id, body.candidateId);
  }

  @Post('lines/:id/ignore')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({
    summary: 'Ignore a line (e.g. a transfer between own accounts), with a reason — org admins',
  })
  async ignore(@Param('id', ParseGlobalIdPipe('bank_line')) id: string, @Body() body: IgnoreDto) {
    return lineView(await this.booking.ignore(id, body.reason));
  }

  @Post('lines/:id/unignore')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Take an ignored line back to unmatched — org admins' })
  async unignore(@Param('id', ParseGlobalIdPipe('bank_line')) id: string) {
    return lineView(await this.booking.unignore(id));
  }

  @Get('matches/:id')
  @OrgScoped('viewer')
  getMatch(@Param('id', ParseGlobalIdPipe('bank_match')) id: string) {
    return this.booking.getMatch(id);
  }

  @Post('matches/:id/undo')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary:
      'Undo a match: a correcting voucher (rättelse) reverses the original, which stays; line back to unmatched, bill back to open',
  })
  @ApiConflictResponse({ description: 'MATCH_ALREADY_UNDONE' })
  undo(@Param('id', ParseGlobalIdPipe('bank_match')) id: string) {
    return this.booking.undo(id);
  }
}

@ApiTags('bank')
@Controller('bank/policies')
export class BankPoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Counterparty policies with approved/rejected counts and the automatic-booking switch',
  })
  list(@Query() query: PageQueryDto) {
    return this.policies.list(query);
  }

  @Get(':id')
  @OrgScoped('viewer')
  get(@Param('id', ParseGlobalIdPipe('bank_policy')) id: string) {
    return this.policies.get(id);
  }

  @Patch(':id')
  @OrgScoped('admin')
  @ApiOperation({
    summary:
      'Switch automatic booking (admins); enabling needs the threshold of approvals with no reject since',
  })
  @ApiConflictResponse({ description: 'POLICY_THRESHOLD_NOT_MET' })
  update(@Param('id', ParseGlobalIdPipe('bank_policy')) id: string, @Body() body: UpdatePolicyDto) {
    return this.policies.setAuto(id, body.autoEnabled);
  }
}

@ApiTags('vouchers')
@Controller()
export class VouchersController {
  constructor(private readonly vouchers: VouchersService) {}

  @Get('vouchers')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Verifikationer of a fiscal year in number order' })
  list(@Query() query: ListVouchersQueryDto) {
    return this.vouchers.list(query);
  }

  @Get('vouchers/export.sie')
  @OrgScoped('viewer')
  @RequiresFullAccess()
  @ApiProduces('application/octet-stream')
  @ApiOperation({ summary: 'SIE 4 file (CP437) of a fiscal year, for Swedish accounting programs' })
  @ApiConflictResponse({ description: 'SIE_ORG_NUMBER_MISSING' })
  async exportSie(@Query() query: ExportSieQueryDto): Promise<StreamableFile> {
    const file = await this.vouchers.exportSie(query.fiscalYear);
    return new StreamableFile(file.bytes, {
      type: 'text/plain; charset=IBM437',
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.bytes.length,
    });
  }

  @Get('vouchers/:id')
  @OrgScoped('viewer')
  @ApiNotFound('voucher')
  get(@Param('id', ParseGlobalIdPipe('voucher')) id: string) {
    return this.vouchers.get(id);
  }

  @Patch('vouchers/:id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Always refused: vouchers are never changed (409 BOOKKEEPING_RECORD_IMMUTABLE)' })
  @ApiConflictResponse({ description: 'BOOKKEEPING_RECORD_IMMUTABLE' })
  change(@Param('id', ParseGlobalIdPipe('voucher')) id: string) {
    return this.vouchers.refuseChange(id);
  }

  @Delete('vouchers/:id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Always refused: vouchers are never deleted (409 BOOKKEEPING_RECORD_IMMUTABLE)' })
  @ApiConflictResponse({ description: 'BOOKKEEPING_RECORD_IMMUTABLE' })
  remove(@Param('id', ParseGlobalIdPipe('voucher')) id: string) {
    return this.vouchers.refuseChange(id);
  }

  @Get('bookkeeping/settings')
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Bookkeeping settings: organisationsnummer, fiscal year start, series, bill booking, auto threshold',
  })
  settings() {
    return this.vouchers.settings();
  }

  @Patch('bookkeeping/settings')
  @OrgScoped('admin')
  updateSettings(@Body() body: UpdateSettingsDto) {
    return this.vouchers.updateSettings(body);
  }
}
