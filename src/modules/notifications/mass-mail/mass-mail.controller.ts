import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CreateMassMailDto,
  ListMassMailsQueryDto,
  MassMailPageResponseDto,
  MassMailResponseDto,
} from './mass-mail.dto';
import { MassMailService } from './mass-mail.service';

const MassMailId = ParseGlobalIdPipe('mass_mail');

@ApiTags('admin')
@Controller('admin/mail')
@Roles('admin')
@ApiForbiddenResponse({ description: 'FORBIDDEN (not a platform admin)' })
export class MassMailController {
  constructor(private readonly massMails: MassMailService) {}

  @Post()
  @ApiOperation({
    summary:
      'Mail everyone, or the owners of organizations on a plan or billing status: queued, throttled, with an unsubscribe link',
  })
  @ApiCreatedResponse({ type: MassMailResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  create(@Body() body: CreateMassMailDto) {
    return this.massMails.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Mass mails, newest first, with their progress' })
  @ApiOkResponse({ type: MassMailPageResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  list(@Query() query: ListMassMailsQueryDto) {
    return this.massMails.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One mass mail: total, waiting, queued, sent, failed, skipped' })
  @ApiOkResponse({ type: MassMailResponseDto })
  @ApiNotFound('mass_mail')
  get(@Param('id', MassMailId) id: string) {
    return this.massMails.get(id);
  }
}
