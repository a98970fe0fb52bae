import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  Logger,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { OrgScoped } from '../../common/auth/decorators';
import { ApiFileResponse, ApiRedirectResponse } from '../../common/http/api-responses';
import { ParseGlobalIdPipe } from '../../common/http/parse-global-id.pipe';
import { UploadRateLimited } from '../../common/http/throttling';
import { UndoPayloadDto } from '../trash/trash.dto';
import { contentDisposition } from './media/file-names';
import {
  ContentQueryDto,
  CreateUploadDto,
  ListUploadsQueryDto,
  toUploadResponse,
  UploadPageResponseDto,
  UploadResponseDto,
} from './uploads.dto';
import { UploadsService, type IncomingFile } from './uploads.service';
import { ApiNotFound } from '../../common/http/api-not-found';

const logger = new Logger('UploadsController');

/** The file vanished between the check and the read (e.g. a purge): the common error body, not a bare 400. */
function sendMissingFile(error: Error, res: Response): void {
  logger.warn({ err: error }, 'Streaming an upload failed');
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.removeHeader('Content-Disposition');
  res.removeHeader('Content-Length');
  res.removeHeader('ETag');
  res.status(404).json({
    statusCode: 404,
    code: 'VARIANT_NOT_AVAILABLE',
    message: 'This file has no such variant',
    requestId: (res.req as { id?: string }).id,
  });
}

@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post()
  @OrgScoped('member')
  @UploadRateLimited()
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary: 'Upload a receipt, photo or document',
    description:
      'multipart/form-data with `file` and optionally `recordId`. The type is decided from the bytes: JPEG, PNG, ' +
      'WebP, HEIC/HEIF/AVIF, GIF, PDF. Images are processed in the background (status `processing` → `ready`).',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        recordId: { type: 'string', example: 'A000123' },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadResponseDto })
  @ApiServiceUnavailableResponse({ description: 'SERVICE_UNAVAILABLE: the file storage cannot be reached' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than UPLOAD_MAX_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ description: 'UNSUPPORTED_MEDIA_TYPE' })
  @ApiUnprocessableEntityResponse({
    description: 'IMAGE_TOO_MANY_PIXELS (all frames counted), IMAGE_TOO_MANY_FRAMES or IMAGE_UNREADABLE',
  })
  async create(@UploadedFile() file: IncomingFile | undefined, @Body() body: CreateUploadDto) {
    return toUploadResponse(await this.uploads.upload(file, body.recordId));
  }

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Files of the organization, newest first; `recordId` for one record’s files' })
  @ApiOkResponse({ type: UploadPageResponseDto })
  async list(@Query() query: ListUploadsQueryDto) {
    const { cursor, limit, recordId } = query;
    const page = await this.uploads.list({ recordId }, { cursor, limit });
    return { items: page.items.map(toUploadResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One file: type, size, status, image size, variants' })
  @ApiOkResponse({ type: UploadResponseDto })
  @ApiNotFound('upload')
  async get(@Param('id', ParseGlobalIdPipe('upload')) id: string) {
    return toUploadResponse(await this.uploads.get(id));
  }

  @Get(':id/content')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'The file itself (streamed)',
    description:
      'Private: never a public URL. Sends ETag; If-None-Match with it → 304. `original` has its metadata (GPS, ' +
      'camera) removed; `compressed` and `thumbnail` are WebP.',
  })
  @ApiFileResponse(
    [
      'image/jpeg',
      'image/png',
      'image/webp',
      'image/gif',
      'image/heic',
      'image/heif',
      'image/avif',
      'application/pdf',
    ],
    { description: 'The bytes (Content-Disposition with the file name)' },
  )
  @ApiResponse({ status: 304, description: 'Not modified: If-None-Match matched the ETag' })
  @ApiRedirectResponse('With S3_PRESIGN: a short-lived pre-signed URL of the object storage in `Location`')
  @ApiServiceUnavailableResponse({ description: 'SERVICE_UNAVAILABLE: the file storage cannot be reached' })
  @ApiNotFound('upload', 'VARIANT_NOT_AVAILABLE for a variant the file does not have')
  @ApiConflictResponse({ description: 'UPLOAD_PROCESSING or UPLOAD_FAILED' })
  async content(
    @Param('id', ParseGlobalIdPipe('upload')) id: string,
    @Query() query: ContentQueryDto,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile | undefined> {
    const content = await this.uploads.content(id, query.variant, ifNoneMatch);
    res.setHeader('ETag', content.etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // A served file is data, never a page: no scripts, no plugins, even if a browser opens it directly.
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
    if (content.notModified) {
      res.status(304);
      return undefined;
    }
    if (content.redirect) {
      // S3_PRESIGN: the storage serves the bytes (with the same type and download name) for a few minutes.
      res.status(302);
      res.setHeader('Location', content.redirect);
      return undefined;
    }
    const body = content.body!;
    // A client that goes away mid-download releases the file (an S3 connection) at once, not at its timeout.
    res.once('close', () => {
      if (!body.destroyed) body.destroy();
    });
    return new StreamableFile(body, {
      type: content.mimeType,
      length: content.size,
      disposition: contentDisposition(content.fileName),
    }).setErrorHandler((error, handlerResponse) =>
      sendMissingFile(error, handlerResponse as unknown as Response),
    );
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Move the file (and files attached to it) to the trash; returns the undo payload',
  })
  @ApiOkResponse({ type: UndoPayloadDto })
  @ApiNotFound('upload')
  @ApiConflictResponse({ description: 'BOOKKEEPING_RECORD_IMMUTABLE: attached to a bookkeeping record' })
  remove(@Param('id', ParseGlobalIdPipe('upload')) id: string) {
    return this.uploads.remove(id);
  }
}
