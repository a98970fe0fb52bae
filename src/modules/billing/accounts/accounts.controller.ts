import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowWhenReadOnly, OrgScoped } from '../../../common/auth/decorators';
import { BillingViewResponseDto } from '../admin/admin.dto';
import { UpdateBillingDetailsDto } from './accounts.dto';
import { AcceptBillingInvitationDto } from '../invitations/invitations.dto';
import { BillingInvitationsService } from '../invitations/invitations.service';
import { BillingService } from './accounts.service';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly invitations: BillingInvitationsService,
  ) {}

  @Get()
  @OrgScoped('viewer')
  @ApiOperation({
    summary: "The current organization's plan, status, dates, access, banner and invoices",
    description:
      '`access` is `full` or `read_only`; `banner` is what to show ({level, code, message: {sv, en}, daysLeft}) or null. ' +
      'Dates are instants; each period, grace and trial ends at 00:00 Stockholm time on its date.',
  })
  @ApiOkResponse({ type: BillingViewResponseDto, description: 'The billing view' })
  get() {
    return this.billing.current();
  }

  @Patch('details')
  @OrgScoped('admin')
  @ApiOperation({
    summary: "Change the organization's billing contact, invoice address, organisationsnummer or reference",
    description: 'Owners and admins. Refused with 403 ACCOUNT_READ_ONLY while the account is read-only.',
  })
  @ApiOkResponse({ type: BillingViewResponseDto, description: 'The billing view' })
  @ApiForbiddenResponse({ description: 'ACCOUNT_READ_ONLY or INSUFFICIENT_ORG_ROLE' })
  updateDetails(@Body() body: UpdateBillingDetailsDto) {
    return this.billing.updateDetails(body);
  }

  @Post('invitations/accept')
  @HttpCode(200)
  @OrgScoped('admin')
  @AllowWhenReadOnly()
  @ApiOperation({
    summary: "Accept a platform admin's plan invitation for the current organization (owners and admins)",
    description: 'The invitation must have been sent to your email address. The plan applies at once.',
  })
  @ApiOkResponse({ type: BillingViewResponseDto, description: 'The billing view after the change' })
  accept(@Body() body: AcceptBillingInvitationDto) {
    return this.invitations.accept(body.token);
  }
}
