import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped } from '../../common/auth/decorators';
import { ParseGlobalIdPipe } from '../../common/http/parse-global-id.pipe';
import {
  EmptyResponseDto,
  PurgeResponseDto,
  RestoreResponseDto,
  toTrashItemResponse,
  TrashListQueryDto,
  TrashPageResponseDto,
} from './trash.dto';
import { TrashService } from './trash.service';
import { ApiNotFound } from '../../common/http/api-not-found';

@ApiTags('trash')
@Controller('trash')
export class TrashController {
  constructor(private readonly trash: TrashService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: "The organization's trash, newest deletion first",
    description:
      'Every record type in one list: what it was, who deleted it and when, and when it is purged.',
  })
  @ApiOkResponse({ type: TrashPageResponseDto })
  async list(@Query() query: TrashListQueryDto) {
    const { cursor, limit, type } = query;
    const page = await this.trash.list({ type }, { cursor, limit });
    return { items: page.items.map(toTrashItemResponse), nextCursor: page.nextCursor };
  }

  @Post('empty')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({
    summary: 'Purge everything in the trash for good (files too)',
    description: 'Needs an organization admin: it destroys what every member deleted.',
  })
  @ApiOkResponse({ type: EmptyResponseDto })
  @ApiForbiddenResponse({ description: 'INSUFFICIENT_ORG_ROLE (admin or owner only)' })
  empty() {
    return this.trash.empty();
  }

  @Post(':id/restore')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({ summary: 'Restore a record and exactly what was deleted with it' })
  @ApiOkResponse({ type: RestoreResponseDto })
  @ApiNotFound('trash_item')
  @ApiConflictResponse({ description: 'RESTORE_NAME_TAKEN or PARENT_IN_TRASH' })
  restore(@Param('id', ParseGlobalIdPipe('trash_item')) id: string) {
    return this.trash.restore(id);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Delete for good: the record, what went with it, and its files' })
  @ApiOkResponse({ type: PurgeResponseDto })
  @ApiNotFound('trash_item')
  @ApiConflictResponse({ description: 'BOOKKEEPING_RECORD_IMMUTABLE' })
  purge(@Param('id', ParseGlobalIdPipe('trash_item')) id: string) {
    return this.trash.purge(id);
  }
}
