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
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CreateCsvProfileDto,
  CreateImportDto,
  CsvProfileListResponseDto,
  CsvProfileResponseDto,
  ImportPageResponseDto,
  ImportResponseDto,
  ListImportsQueryDto,
  UpdateCsvProfileDto,
} from './imports.dto';
import { IMPORT_MAX_BYTES, ImportsService, type UploadedFile as StatementFile } from './imports.service';

/**
 * HTTP of statement imports (the upload `POST bank/accounts/:id/imports` included) and CSV profiles. Reads need `viewer`, writes `member`. Every path id that is not an
 * id of ours, or names another organization's record, is the same 404.
 */

@ApiTags('bank')
@Controller('bank')
export class BankImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('accounts/:id/imports')
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
  @ApiAcceptedResponse({ type: ImportResponseDto, description: 'The import, status `queued`' })
  @ApiNotFound('bank_account')
  @ApiPayloadTooLargeResponse({ description: 'Over 5 MB' })
  createImport(
    @Param('id', ParseGlobalIdPipe('bank_account')) id: string,
    @UploadedFile() file: StatementFile | undefined,
    @Body() body: CreateImportDto,
  ) {
    return this.imports.create(id, file, body);
  }

  @Get('imports')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Statement imports, newest first' })
  @ApiOkResponse({ type: ImportPageResponseDto })
  list(@Query() query: ListImportsQueryDto) {
    const { bankAccountId, ...page } = query;
    return this.imports.list({ bankAccountId }, page);
  }

  @Get('imports/:id')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Status, progress and counts (created / duplicates / rejected, with line numbers and reasons)',
  })
  @ApiOkResponse({ type: ImportResponseDto })
  @ApiNotFound('bank_import')
  get(@Param('id', ParseGlobalIdPipe('bank_import')) id: string) {
    return this.imports.get(id);
  }

  @Post('csv-profiles')
  @OrgScoped('member')
  @ApiOperation({ summary: "Save a named CSV column mapping (one per bank's export format)" })
  @ApiCreatedResponse({ type: CsvProfileResponseDto })
  @ApiConflictResponse({ description: 'CSV_PROFILE_NAME_TAKEN' })
  createProfile(@Body() body: CreateCsvProfileDto) {
    return this.imports.saveProfile(body.name, body.mapping);
  }

  @Get('csv-profiles')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Saved CSV profiles' })
  @ApiOkResponse({ type: CsvProfileListResponseDto })
  listProfiles() {
    return this.imports.listProfiles();
  }

  @Get('csv-profiles/:id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One saved CSV profile' })
  @ApiOkResponse({ type: CsvProfileResponseDto })
  @ApiNotFound('csv_profile')
  getProfile(@Param('id', ParseGlobalIdPipe('csv_profile')) id: string) {
    return this.imports.getProfile(id);
  }

  @Patch('csv-profiles/:id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Rename a CSV profile or change its mapping' })
  @ApiOkResponse({ type: CsvProfileResponseDto })
  @ApiConflictResponse({ description: 'CSV_PROFILE_NAME_TAKEN' })
  @ApiNotFound('csv_profile')
  updateProfile(
    @Param('id', ParseGlobalIdPipe('csv_profile')) id: string,
    @Body() body: UpdateCsvProfileDto,
  ) {
    return this.imports.updateProfile(id, body);
  }

  @Delete('csv-profiles/:id')
  @HttpCode(204)
  @OrgScoped('member')
  @ApiOperation({ summary: 'Delete a saved CSV profile (imports made with it keep their lines)' })
  @ApiNoContentResponse()
  @ApiNotFound('csv_profile')
  async deleteProfile(@Param('id', ParseGlobalIdPipe('csv_profile')) id: string): Promise<void> {
    await this.imports.deleteProfile(id);
  }
}
