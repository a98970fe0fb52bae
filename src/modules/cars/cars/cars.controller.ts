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
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  CarPageResponseDto,
  CarResponseDto,
  CreateCarDto,
  DeletedCarResponseDto,
  ListCarsQueryDto,
  UpdateCarDto,
} from './cars.dto';
import { CarsService } from './cars.service';

const CarId = ParseGlobalIdPipe('car');

@ApiTags('cars')
@Controller('cars')
export class CarsController {
  constructor(private readonly cars: CarsService) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Cars by registration number' })
  @ApiOkResponse({ type: CarPageResponseDto })
  list(@Query() query: ListCarsQueryDto) {
    return this.cars.list(query);
  }

  @Post()
  @OrgScoped('member')
  @ApiOperation({ summary: 'Add a car' })
  @ApiCreatedResponse({ type: CarResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REGISTRATION' })
  @ApiConflictResponse({ description: 'REGISTRATION_TAKEN' })
  create(@Body() body: CreateCarDto) {
    return this.cars.create(body);
  }

  @Get(':id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One car' })
  @ApiOkResponse({ type: CarResponseDto })
  @ApiNotFound('car')
  get(@Param('id', CarId) id: string) {
    return this.cars.get(id);
  }

  @Patch(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Change a car (null clears an optional field)' })
  @ApiOkResponse({ type: CarResponseDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, INVALID_REGISTRATION' })
  @ApiConflictResponse({ description: 'REGISTRATION_TAKEN' })
  @ApiNotFound('car')
  update(@Param('id', CarId) id: string, @Body() body: UpdateCarDto) {
    return this.cars.update(id, body);
  }

  @Delete(':id')
  @OrgScoped('member')
  @ApiOperation({ summary: 'Move a car and its events to the trash (answers the undo payload)' })
  @ApiOkResponse({ type: DeletedCarResponseDto })
  @ApiNotFound('car')
  remove(@Param('id', CarId) id: string) {
    return this.cars.remove(id);
  }
}
