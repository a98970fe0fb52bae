import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowWhenReadOnly, OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ApiFileResponse } from '../../../common/http/api-responses';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CreateReportDto,
  ReportDataQueryDto,
  ReportDataResponseDto,
  ReportListQueryDto,
  ReportListResponseDto,
  ReportResponseDto,
} from './reports.dto';
import { REPORT_RECORD_TYPE, ReportsService } from './reports.service';

/**
 * Reports of an organization's money (docs/reports.md). Reading, so `viewer` is enough and a read-only organization
 * may still make them (POST is marked `@AllowWhenReadOnly`: it changes no record of the organization's).
 */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('data')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: "A report's figures as JSON, at once (no file)",
    description:
      'Income and expenses by category and supplier, the 12-month trend, contracts and their yearly cost, car costs and upcoming payments. Money in öre (SEK).',
  })
  @ApiOkResponse({ type: ReportDataResponseDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, INVALID_PERIOD, INVALID_REFERENCE (details.field categoryIds)',
  })
  data(@Query() query: ReportDataQueryDto) {
    return this.reports.figures(query);
  }

  @Post()
  @HttpCode(202)
  @OrgScoped('viewer')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: 'Ask for a report file (PDF, Excel or CSV)',
    description:
      'Answers the report, status `queued`; a job makes the file. Poll GET /reports/{id} until `done`, then GET its `downloadUrl`. The file is kept 7 days.',
  })
  @ApiAcceptedResponse({ type: ReportResponseDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, INVALID_PERIOD, INVALID_REFERENCE (details.field categoryIds)',
  })
  create(@Body() body: CreateReportDto) {
    return this.reports.create(body);
  }

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: "The organization's reports, newest first" })
  @ApiOkResponse({ type: ReportListResponseDto })
  list(@Query() query: ReportListQueryDto) {
    return this.reports.list(query);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: "A report's status, progress and download link" })
  @ApiOkResponse({ type: ReportResponseDto })
  @ApiNotFound(REPORT_RECORD_TYPE)
  get(@Param('id', ParseGlobalIdPipe(REPORT_RECORD_TYPE)) id: string) {
    return this.reports.get(id);
  }

  @Get(':id/file')
  @OrgScoped('viewer')
  @ApiOperation({ summary: "Download a report's file" })
  @ApiFileResponse(
    ['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
    { description: 'The file (Content-Disposition: attachment)' },
  )
  @ApiNotFound(REPORT_RECORD_TYPE)
  @ApiConflictResponse({ description: 'REPORT_NOT_READY (queued or running), REPORT_FAILED' })
  @ApiGoneResponse({ description: 'REPORT_EXPIRED: the file was removed after 7 days' })
  async file(
    @Param('id', ParseGlobalIdPipe(REPORT_RECORD_TYPE)) id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.reports.file(id);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(file.stream, {
      type: file.contentType,
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.size ?? undefined,
    });
  }
}
