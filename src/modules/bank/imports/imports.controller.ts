import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { CreateCsvProfileDto, ListImportsQueryDto, UpdateCsvProfileDto } from './imports.dto';
import { ImportsService } from './imports.service';

/**
 * HTTP of statement imports and CSV profiles. Reads need `viewer`, writes `member`. Every path id that is not an
 * id of ours, or names another organization's record, is the same 404.
 */

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
