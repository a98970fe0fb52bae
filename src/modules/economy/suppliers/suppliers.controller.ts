import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CreateSupplierDto,
  DeletedResponseDto,
  ListSuppliersQueryDto,
  SupplierPageResponseDto,
  SupplierResponseDto,
  UpdateSupplierDto,
} from './suppliers.dto';
import { SuppliersService } from './suppliers.service';
import { ApiNotFound } from '../../../common/http/api-not-found';

@ApiTags('suppliers')
@Controller('suppliers')
export class SuppliersController {
  constructor(private readonly suppliers: SuppliersService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Suppliers by name; `q` searches name and aliases (any case, anywhere in the text)',
  })
  @ApiOkResponse({ type: SupplierPageResponseDto })
  list(@Query() query: ListSuppliersQueryDto) {
    return this.suppliers.list(query.q, { cursor: query.cursor, limit: query.limit });
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Create a supplier (organisationsnummer, bankgiro and plusgiro are check-digit validated)',
  })
  @ApiCreatedResponse({ type: SupplierResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REFERENCE (defaultCategoryId)' })
  @ApiConflictResponse({ description: 'SUPPLIER_NAME_TAKEN' })
  create(@Body() body: CreateSupplierDto) {
    return this.suppliers.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One supplier' })
  @ApiOkResponse({ type: SupplierResponseDto })
  @ApiNotFound('supplier')
  get(@Param('id', ParseGlobalIdPipe('supplier')) id: string) {
    return this.suppliers.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Change a supplier (null clears an optional field; aliases replace the list)' })
  @ApiOkResponse({ type: SupplierResponseDto })
  @ApiConflictResponse({ description: 'SUPPLIER_NAME_TAKEN' })
  @ApiNotFound('supplier')
  update(@Param('id', ParseGlobalIdPipe('supplier')) id: string, @Body() body: UpdateSupplierDto) {
    return this.suppliers.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Move a supplier to the trash (answers the undo payload); refused while it has open bills',
  })
  @ApiOkResponse({ type: DeletedResponseDto })
  @ApiConflictResponse({ description: 'SUPPLIER_HAS_OPEN_BILLS' })
  @ApiNotFound('supplier')
  remove(@Param('id', ParseGlobalIdPipe('supplier')) id: string) {
    return this.suppliers.remove(id);
  }
}
