import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiCreatedResponse,
  ApiBearerAuth,
} from '@nestjs/swagger';
import { AllowWhenReadOnly, CurrentActor, OrgScoped } from '../../common/auth/decorators';
import type { Actor } from '../../common/context/request-context';
import { ApiNotFound } from '../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../common/http/parse-global-id.pipe';
import {
  AcceptInvitationDto,
  CreateInvitationDto,
  CreateOrganizationDto,
  InvitationCreatedResponseDto,
  InvitationPageResponseDto,
  MemberListResponseDto,
  MemberResponseDto,
  OrganizationListResponseDto,
  OrganizationResponseDto,
  ListInvitationsQueryDto,
  UpdateMemberDto,
  UpdateOrganizationDto,
} from './organizations.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('organizations')
@ApiBearerAuth()
/** Managing the organization itself (name, members, invitations) keeps working in read-only mode (billing). */
@Controller()
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post('organizations')
  @ApiOperation({ summary: 'Create an organization; you become its owner' })
  @ApiCreatedResponse({ type: OrganizationResponseDto })
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganizationDto) {
    return this.organizations.create(actor.userId, body.name, body.type);
  }

  @Get('organizations')
  @ApiOperation({ summary: 'Organizations you belong to, with your role in each' })
  @ApiOkResponse({ type: OrganizationListResponseDto })
  list(@CurrentActor() actor: Actor) {
    return this.organizations.listForUser(actor.userId);
  }

  @Get('organizations/:id')
  @OrgScoped('viewer', 'id')
  @ApiOperation({ summary: 'One organization (members only; others get 404)' })
  @ApiOkResponse({ type: OrganizationResponseDto })
  @ApiNotFound('organization')
  get(@Param('id', ParseGlobalIdPipe('organization')) id: string) {
    return this.organizations.get(id);
  }

  @Patch('organizations/:id')
  @OrgScoped('admin', 'id')
  @AllowWhenReadOnly()
  @ApiOperation({ summary: 'Rename or change the type (owners and admins)' })
  @ApiOkResponse({ type: OrganizationResponseDto })
  @ApiForbiddenResponse({ description: 'INSUFFICIENT_ORG_ROLE' })
  @ApiNotFound('organization')
  update(@Param('id', ParseGlobalIdPipe('organization')) id: string, @Body() body: UpdateOrganizationDto) {
    return this.organizations.update(id, body);
  }

  @Get('organizations/:id/members')
  @OrgScoped('viewer', 'id')
  @ApiOperation({ summary: 'Members and their roles' })
  @ApiOkResponse({ type: MemberListResponseDto })
  @ApiNotFound('organization')
  members(@Param('id', ParseGlobalIdPipe('organization')) id: string) {
    return this.organizations.members(id);
  }

  @Patch('organizations/:id/members/:userId')
  @OrgScoped('admin', 'id')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: "Change a member's role (only owners touch the owner role; the last owner stays)",
  })
  @ApiOkResponse({ type: MemberResponseDto })
  @ApiForbiddenResponse({ description: 'INSUFFICIENT_ORG_ROLE' })
  @ApiNotFound('member', "'organization' for the organization")
  changeRole(
    @Param('id', ParseGlobalIdPipe('organization')) id: string,
    @Param('userId', ParseGlobalIdPipe('member')) userId: string,
    @Body() body: UpdateMemberDto,
  ) {
    return this.organizations.changeRole(id, userId, body.role);
  }

  @Delete('organizations/:id/members/:userId')
  @HttpCode(204)
  @OrgScoped('viewer', 'id')
  @AllowWhenReadOnly()
  @ApiOperation({ summary: 'Remove a member (admins), or leave (yourself)' })
  @ApiNoContentResponse()
  async removeMember(
    @Param('id', ParseGlobalIdPipe('organization')) id: string,
    @Param('userId', ParseGlobalIdPipe('member')) userId: string,
  ) {
    await this.organizations.removeMember(id, userId);
  }

  @Post('organizations/:id/invitations')
  @OrgScoped('admin', 'id')
  @AllowWhenReadOnly()
  @ApiOperation({ summary: 'Invite someone by email (a mail with a 7-day token)' })
  @ApiCreatedResponse({ type: InvitationCreatedResponseDto })
  @ApiForbiddenResponse({ description: 'INSUFFICIENT_ORG_ROLE' })
  @ApiNotFound('organization')
  invite(@Param('id', ParseGlobalIdPipe('organization')) id: string, @Body() body: CreateInvitationDto) {
    return this.organizations.invite(id, body.email, body.role);
  }

  @Get('organizations/:id/invitations')
  @OrgScoped('admin', 'id')
  @ApiOperation({
    summary: 'Open invitations (neither accepted nor revoked), newest first (owners and admins)',
    description: '`status` is `pending`, or `expired` once past `expiresAt` (it can still be revoked).',
  })
  @ApiOkResponse({ type: InvitationPageResponseDto })
  @ApiForbiddenResponse({ description: 'INSUFFICIENT_ORG_ROLE' })
  @ApiNotFound('organization')
  invitations(
    @Param('id', ParseGlobalIdPipe('organization')) id: string,
    @Query() query: ListInvitationsQueryDto,
  ) {
    return this.organizations.invitationsOf(id, query);
  }

  @Delete('organizations/:id/invitations/:invitationId')
  @HttpCode(204)
  @OrgScoped('admin', 'id')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary:
      'Revoke an open invitation: its token stops working (owners and admins; owner invitations: owners)',
  })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'INSUFFICIENT_ORG_ROLE' })
  @ApiConflictResponse({ description: 'INVITATION_ALREADY_ACCEPTED' })
  @ApiNotFound('invitation', "also an already revoked one; 'organization' for the organization")
  async revokeInvitation(
    @Param('id', ParseGlobalIdPipe('organization')) id: string,
    @Param('invitationId', ParseGlobalIdPipe('invitation')) invitationId: string,
  ) {
    await this.organizations.revokeInvitation(id, invitationId);
  }

  @Post('invitations/accept')
  @HttpCode(200)
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: 'Accept an invitation sent to your email address',
    description:
      'INVITATION_INVALID also when the invitation was revoked, or its inviter is no longer a member with a role ' +
      'that may send it (details.reason `inviter_no_longer_allowed`).',
  })
  @ApiOkResponse({ type: OrganizationResponseDto, description: 'The organization joined, with your role' })
  @ApiBadRequestResponse({ description: 'INVITATION_INVALID' })
  @ApiForbiddenResponse({ description: 'INVITATION_EMAIL_MISMATCH' })
  accept(@Body() body: AcceptInvitationDto) {
    return this.organizations.acceptInvitation(body.token);
  }
}
