import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { ParseGlobalIdPipe } from '../../common/http/parse-global-id.pipe';
import { SecurityEventPageResponseDto, SecurityEventsQueryDto } from './security-events/security-events.dto';
import { SecurityEventsService } from './security-events/security-events.service';
import {
  AdminUpdateUserDto,
  AdminUserPageResponseDto,
  AdminUserResponseDto,
  AdminUsersQueryDto,
} from './users.dto';
import { UsersService } from './users.service';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly securityEvents: SecurityEventsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Users, newest first; filter by email substring, role, deleted' })
  @ApiOkResponse({ type: AdminUserPageResponseDto })
  list(@Query() query: AdminUsersQueryDto) {
    const { cursor, limit, ...search } = query;
    return this.users.adminList(search, { cursor, limit });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user, deleted or not' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  get(@Param('id', ParseGlobalIdPipe('user')) id: string) {
    return this.users.adminGet(id);
  }

  @Get(':id/security-events')
  @ApiOperation({
    summary: "A user's security events (sign-ins, failed sign-ins, password changes), newest first",
  })
  @ApiOkResponse({ type: SecurityEventPageResponseDto })
  @ApiNotFoundResponse({ description: 'NOT_FOUND (type user)' })
  async listSecurityEvents(
    @Param('id', ParseGlobalIdPipe('user')) id: string,
    @Query() query: SecurityEventsQueryDto,
  ) {
    await this.users.adminGet(id); // 404 for an unknown user, deleted ones included
    return this.securityEvents.list(id, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the platform role' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  update(@Param('id', ParseGlobalIdPipe('user')) id: string, @Body() body: AdminUpdateUserDto) {
    return this.users.adminSetRole(id, body.role);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Soft-delete: the user can no longer sign in; restorable' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  remove(@Param('id', ParseGlobalIdPipe('user')) id: string) {
    return this.users.adminDelete(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a soft-deleted user' })
  @ApiOkResponse({ type: AdminUserResponseDto })
  restore(@Param('id', ParseGlobalIdPipe('user')) id: string) {
    return this.users.adminRestore(id);
  }
}
