import {
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowWhenReadOnly, OrgScoped } from '../../common/auth/decorators';
import { ApiNotFound } from '../../common/http/api-not-found';
import { ApiFileResponse } from '../../common/http/api-responses';
import { ParseGlobalIdPipe } from '../../common/http/parse-global-id.pipe';
import { UploadRateLimited } from '../../common/http/throttling';
import { PortabilityJobResponseDto } from './portability.dto';
import { EXPORT_RECORD_TYPE } from './export/export.service';
import { IMPORT_RECORD_TYPE } from './import/import.service';
import { PortabilityService, IMPORT_MAX_BYTES, type ImportUpload } from './portability.service';

/**
 * Export and import of the whole organization (docs/portability.md). Export is always allowed — also for read-only
 * and suspended organizations: their data is theirs. Import writes, so it needs full access.
 */
@ApiTags('portability')
@Controller()
export class PortabilityController {
  constructor(private readonly portability: PortabilityService) {}

  @Post('export')
  @HttpCode(202)
  @OrgScoped('admin')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: "Export the organization's data as one ZIP",
    description:
      'Answers the export, status `queued`; a job writes the ZIP (manifest, JSON Lines per record type, files, settings). Poll GET /export/{id} until `done`, then GET its `downloadUrl`. Kept 7 days.',
  })
  @ApiAcceptedResponse({ type: PortabilityJobResponseDto })
  requestExport() {
    return this.portability.exports.request();
  }

  @Get('export/:id')
  @OrgScoped('admin')
  @ApiOperation({ summary: "An export's status, progress and download link" })
  @ApiOkResponse({ type: PortabilityJobResponseDto })
  @ApiNotFound(EXPORT_RECORD_TYPE)
  getExport(@Param('id', ParseGlobalIdPipe(EXPORT_RECORD_TYPE)) id: string) {
    return this.portability.exports.get(id);
  }

  @Get('export/:id/file')
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Download the export ZIP' })
  @ApiFileResponse(['application/zip'], { description: 'The ZIP (Content-Disposition: attachment)' })
  @ApiNotFound(EXPORT_RECORD_TYPE)
  @ApiConflictResponse({ description: 'EXPORT_NOT_READY, EXPORT_FAILED' })
  @ApiGoneResponse({ description: 'EXPORT_EXPIRED: removed after 7 days' })
  async exportFile(
    @Param('id', ParseGlobalIdPipe(EXPORT_RECORD_TYPE)) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.portability.exports.file(id);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.stream, {
      type: 'application/zip',
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.size,
    });
  }

  @Post('import')
  @HttpCode(201)
  @OrgScoped('admin')
  @UploadRateLimited()
  @UseInterceptors(
    FileInterceptor('file', {
      dest: PortabilityService.uploadDir(),
      limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 0 },
    }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'A WestWallet export ZIP' } },
    },
  })
  @ApiOperation({
    summary: 'Upload an export ZIP: the dry run',
    description:
      'Checks the whole archive and answers what would be created per record type, reused (same unique value) or skipped (imported before), and the conflicts. Nothing is written. Then POST /import/{id}/apply.',
  })
  @ApiCreatedResponse({ type: PortabilityJobResponseDto })
  @ApiBadRequestResponse({
    description:
      'ARCHIVE_MISSING, ARCHIVE_CORRUPT, ARCHIVE_UNSAFE_PATH, ARCHIVE_SYMLINK, ARCHIVE_UNKNOWN_ENTRY, ARCHIVE_DUPLICATE_ENTRY',
  })
  @ApiPayloadTooLargeResponse({ description: 'ARCHIVE_TOO_MANY_ENTRIES, ARCHIVE_TOO_LARGE, ARCHIVE_RATIO' })
  @ApiUnprocessableEntityResponse({
    description:
      'MANIFEST_MISSING, MANIFEST_INVALID, FORMAT_VERSION_UNSUPPORTED, MANIFEST_MISMATCH, RECORD_INVALID, REFERENCE_MISSING',
  })
  analyzeImport(@UploadedFile() file: ImportUpload | undefined) {
    return this.portability.analyzeImport(file);
  }

  @Get('import/:id')
  @OrgScoped('admin')
  @ApiOperation({ summary: "An import's dry run, status and progress" })
  @ApiOkResponse({ type: PortabilityJobResponseDto })
  @ApiNotFound(IMPORT_RECORD_TYPE)
  getImport(@Param('id', ParseGlobalIdPipe(IMPORT_RECORD_TYPE)) id: string) {
    return this.portability.imports.get(id);
  }

  @Post('import/:id/apply')
  @HttpCode(202)
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Apply an import whose dry run passed (a job; poll GET /import/{id})' })
  @ApiAcceptedResponse({ type: PortabilityJobResponseDto })
  @ApiNotFound(IMPORT_RECORD_TYPE)
  @ApiConflictResponse({ description: 'IMPORT_NOT_READY' })
  applyImport(@Param('id', ParseGlobalIdPipe(IMPORT_RECORD_TYPE)) id: string) {
    return this.portability.imports.apply(id);
  }
}
