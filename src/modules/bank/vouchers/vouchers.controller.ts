import { Body, Controller, Delete, Get, Param, Patch, Query, StreamableFile } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiExtension,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped, RequiresFullAccess } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ApiFileResponse } from '../../../common/http/api-responses';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  BookkeepingSettingsResponseDto,
  ExportSieQueryDto,
  ListVouchersQueryDto,
  UpdateSettingsDto,
  VoucherPageResponseDto,
  VoucherResponseDto,
} from './vouchers.dto';
import { VouchersService } from './vouchers.service';

/**
 * HTTP of vouchers and bookkeeping settings. Reads need `viewer`, writes `member`, settings `admin`. Every path
 * id that is not an id of ours, or names another organization's record, is the same 404.
 */

@ApiTags('vouchers')
@Controller()
export class VouchersController {
  constructor(private readonly vouchers: VouchersService) {}

  @Get('vouchers')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Verifikationer of a fiscal year in number order' })
  @ApiOkResponse({ type: VoucherPageResponseDto })
  list(@Query() query: ListVouchersQueryDto) {
    return this.vouchers.list(query);
  }

  @Get('vouchers/export.sie')
  @OrgScoped('viewer')
  @RequiresFullAccess()
  @ApiOperation({ summary: 'SIE 4 file (CP437) of a fiscal year, for Swedish accounting programs' })
  @ApiFileResponse(['text/plain; charset=IBM437'], {
    description: 'The SIE 4 file (Content-Disposition: attachment), bytes in code page 437',
  })
  @ApiForbiddenResponse({ description: 'ACCOUNT_READ_ONLY: exports need full access' })
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
  @ApiOperation({ summary: 'One voucher, with its rows, source and correction links' })
  @ApiOkResponse({ type: VoucherResponseDto })
  @ApiNotFound('voucher')
  get(@Param('id', ParseGlobalIdPipe('voucher')) id: string) {
    return this.vouchers.get(id);
  }

  @Patch('vouchers/:id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Always refused: vouchers are never changed (409 BOOKKEEPING_RECORD_IMMUTABLE)' })
  // no success response: the route exists to answer 409 (BFL); test/api-docs.e2e-spec.ts accepts only these
  @ApiExtension('x-always-refused', 'BOOKKEEPING_RECORD_IMMUTABLE')
  @ApiConflictResponse({ description: 'BOOKKEEPING_RECORD_IMMUTABLE' })
  @ApiNotFound('voucher')
  change(@Param('id', ParseGlobalIdPipe('voucher')) id: string) {
    return this.vouchers.refuseChange(id);
  }

  @Delete('vouchers/:id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Always refused: vouchers are never deleted (409 BOOKKEEPING_RECORD_IMMUTABLE)' })
  // no success response: the route exists to answer 409 (BFL); test/api-docs.e2e-spec.ts accepts only these
  @ApiExtension('x-always-refused', 'BOOKKEEPING_RECORD_IMMUTABLE')
  @ApiConflictResponse({ description: 'BOOKKEEPING_RECORD_IMMUTABLE' })
  @ApiNotFound('voucher')
  remove(@Param('id', ParseGlobalIdPipe('voucher')) id: string) {
    return this.vouchers.refuseChange(id);
  }

  @Get('bookkeeping/settings')
  @OrgScoped('viewer')
  @ApiOperation({
    summary:
      'Bookkeeping settings: organisationsnummer, fiscal year start, series, bill booking, auto threshold',
    description:
      'A personnummer (orgNumberKind `personal`, a sole trader) is shown masked (`••••••-••76`) to non-admins.',
  })
  @ApiOkResponse({ type: BookkeepingSettingsResponseDto })
  settings() {
    return this.vouchers.visibleSettings();
  }

  @Patch('bookkeeping/settings')
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Change bookkeeping settings (owners and admins)' })
  @ApiOkResponse({
    type: BookkeepingSettingsResponseDto,
    description: 'The settings after the change, in full',
  })
  @ApiForbiddenResponse({ description: 'INSUFFICIENT_ORG_ROLE' })
  updateSettings(@Body() body: UpdateSettingsDto) {
    return this.vouchers.updateSettings(body);
  }
}
