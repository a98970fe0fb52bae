import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CreateWarrantyDto,
  DeletedWarrantyResponseDto,
  ListWarrantiesQueryDto,
  UpdateWarrantyDto,
  WarrantyPageResponseDto,
  WarrantyResponseDto,
} from './warranties.dto';
import { WarrantiesService } from './warranties.service';

const WarrantyId = ParseGlobalIdPipe('warranty');

@ApiTags('warranties')
@Controller('warranties')
export class WarrantiesController {
  constructor(private readonly warranties: WarrantiesService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Warranties by end date; status=expiring lists those ending within 60 days' })
  @ApiOkResponse({ type: WarrantyPageResponseDto })
  list(@Query() query: ListWarrantiesQueryDto) {
    const { status, ...page } = query;
    return this.warranties.list(status, page);
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Add a warranty, by hand or from a transaction or receipt upload' })
  @ApiCreatedResponse({ type: WarrantyResponseDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, INVALID_REFERENCE (storeId, fromTransactionId, fromUploadId)',
  })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_WARRANTY' })
  create(@Body() body: CreateWarrantyDto) {
    return this.warranties.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One warranty' })
  @ApiOkResponse({ type: WarrantyResponseDto })
  @ApiNotFound('warranty')
  get(@Param('id', WarrantyId) id: string) {
    return this.warranties.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Change a warranty (null clears an optional field)' })
  @ApiOkResponse({ type: WarrantyResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REFERENCE' })
  @ApiUnprocessableEntityResponse({ description: 'INVALID_WARRANTY' })
  @ApiNotFound('warranty')
  update(@Param('id', WarrantyId) id: string, @Body() body: UpdateWarrantyDto) {
    return this.warranties.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Move a warranty to the trash (answers the undo payload)' })
  @ApiOkResponse({ type: DeletedWarrantyResponseDto })
  @ApiNotFound('warranty')
  remove(@Param('id', WarrantyId) id: string) {
    return this.warranties.remove(id);
  }
}
