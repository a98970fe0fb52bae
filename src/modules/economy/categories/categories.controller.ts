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
  CategoryDeletedResponseDto,
  CategoryResponseDto,
  CreateCategoryDto,
  DeleteCategoryQueryDto,
  ListCategoriesQueryDto,
  UpdateCategoryDto,
} from './categories.dto';
import { CategoriesService } from './categories.service';
import { ApiNotFound } from '../../../common/http/api-not-found';

@ApiTags('categories')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: "The organization's categories, as a flat list in tree order",
    description:
      'Each category follows its parent. The first call for an organization creates its Swedish default set (by organization type).',
  })
  @ApiOkResponse({ type: [CategoryResponseDto] })
  list(@Query() query: ListCategoriesQueryDto) {
    return this.categories.list(query);
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Create a category (a root, or under a parent of the same kind; at most 4 levels)',
  })
  @ApiCreatedResponse({ type: CategoryResponseDto })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, INVALID_REFERENCE, CATEGORY_KIND_MISMATCH, CATEGORY_TOO_DEEP',
  })
  @ApiConflictResponse({ description: 'CATEGORY_NAME_TAKEN: a sibling has that name' })
  create(@Body() body: CreateCategoryDto) {
    return this.categories.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One category' })
  @ApiOkResponse({ type: CategoryResponseDto })
  @ApiNotFound('category')
  get(@Param('id', ParseGlobalIdPipe('category')) id: string) {
    return this.categories.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Rename, move or change the BAS account (the kind never changes)' })
  @ApiOkResponse({ type: CategoryResponseDto })
  @ApiBadRequestResponse({
    description: 'CATEGORY_CYCLE, CATEGORY_KIND_MISMATCH, CATEGORY_TOO_DEEP, INVALID_REFERENCE',
  })
  @ApiConflictResponse({ description: 'CATEGORY_NAME_TAKEN' })
  @ApiNotFound('category')
  update(@Param('id', ParseGlobalIdPipe('category')) id: string, @Body() body: UpdateCategoryDto) {
    return this.categories.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Move a category to the trash (answers the undo payload)',
    description:
      'A category in use (transactions, bills, suppliers with it as default, subcategories) needs `moveTo`: they move there first. Without it → 409 CATEGORY_IN_USE with the counts in `details`.',
  })
  @ApiOkResponse({ type: CategoryDeletedResponseDto })
  @ApiConflictResponse({
    description:
      'CATEGORY_IN_USE (details: counts) or CATEGORY_NAME_TAKEN (subcategory names clash at moveTo)',
  })
  @ApiNotFound('category')
  remove(@Param('id', ParseGlobalIdPipe('category')) id: string, @Query() query: DeleteCategoryQueryDto) {
    return this.categories.remove(id, query.moveTo);
  }
}
