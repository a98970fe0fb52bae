import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrgScoped, Roles } from '../../common/auth/decorators';
import {
  AdminAuditListQueryDto,
  AuditListQueryDto,
  AuditPageResponseDto,
  AuditVerifyQueryDto,
  AuditVerifyResponseDto,
  toAuditEntryResponse,
  type AuditPageResponse,
  type AuditVerifyResponse,
} from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @OrgScoped('admin')
  @ApiOperation({
    summary: "The organization's audit log, newest first",
    description:
      'Owners and admins of the organization. Filters combine; `from` is inclusive, `to` exclusive.',
  })
  @ApiOkResponse({ type: AuditPageResponseDto })
  async list(@Query() query: AuditListQueryDto): Promise<AuditPageResponse> {
    const { cursor, limit, from, to, ...filter } = query;
    const page = await this.audit.list(
      { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { cursor, limit },
    );
    return { items: page.items.map(toAuditEntryResponse), nextCursor: page.nextCursor };
  }
}

@ApiTags('audit')
@Controller('admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary: 'Search one audit chain, newest first (platform admins)',
    description:
      '`organizationId=platform` (default) lists the platform log (entries outside any organization); an ' +
      'organization id lists its log. Same filters as `GET /audit`.',
  })
  @ApiOkResponse({ type: AuditPageResponseDto })
  @ApiNotFoundResponse({ description: 'organizationId is neither an organization id nor `platform`' })
  async search(@Query() query: AdminAuditListQueryDto): Promise<AuditPageResponse> {
    const { cursor, limit, from, to, organizationId, ...filter } = query;
    const page = await this.audit.listChain(
      organizationId,
      { ...filter, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
      { cursor, limit },
    );
    return { items: page.items.map(toAuditEntryResponse), nextCursor: page.nextCursor };
  }

  @Get('verify')
  @Roles('admin')
  @ApiOperation({
    summary: "Verify an organization's audit hash chain (platform admins)",
    description:
      'Valid, or the first entry that breaks the chain. `organizationId=platform` checks the platform chain.',
  })
  @ApiOkResponse({ type: AuditVerifyResponseDto })
  @ApiNotFoundResponse({ description: 'organizationId is neither an organization id nor `platform`' })
  async verify(@Query() query: AuditVerifyQueryDto): Promise<AuditVerifyResponse> {
    return this.audit.verify(query.organizationId);
  }
}
