import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../../../common/auth/decorators';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import {
  AccountDetailResponseDto,
  BillingInvitationResponseDto,
  TransitionsRunResponseDto,
  AccountPageResponseDto,
  AdminFiguresQueryDto,
  BillingFiguresResponseDto,
  BillingOverviewResponseDto,
  BillingViewResponseDto,
  InvoiceViewResponseDto,
  PolicyCardResponseDto,
  AdminAccountsQueryDto,
  CreateInvoiceDto,
  DowngradeDto,
  GrantProDto,
  GrantTrialDto,
  MarkPaidDto,
  PatchPolicyDto,
} from './admin.dto';
import { CreateBillingInvitationDto } from '../invitations/invitations.dto';
import { BillingAdminService } from './admin.service';
import { BillingInvitationsService } from '../invitations/invitations.service';
import { ApiNotFound } from '../../../common/http/api-not-found';

/** The admin portal API for WestWallet's own billing. Platform admins only (others: 403). */
@ApiTags('admin billing')
@Roles('admin')
@Controller('admin/billing')
export class BillingAdminController {
  constructor(
    private readonly admin: BillingAdminService,
    private readonly invitations: BillingInvitationsService,
  ) {}

  @Get('overview')
  @ApiOperation({
    summary:
      'Counts by plan (pro + trial + free = total) and by status (past_due, suspended), as in force now',
  })
  @ApiOkResponse({ type: BillingOverviewResponseDto })
  overview() {
    return this.admin.overview();
  }

  @Get('figures')
  @ApiOperation({
    summary:
      'Revenue of a month (invoices paid in it, Stockholm) and trials whose last day falls in this week (Mon–Sun)',
  })
  @ApiOkResponse({ type: BillingFiguresResponseDto })
  figures(@Query() query: AdminFiguresQueryDto) {
    return this.admin.figures(query.month);
  }

  @Get('accounts')
  @ApiOperation({
    summary: 'Organizations with owner email, plan, status, dates and latest invoice',
    description:
      'Filter by plan/status (the state in force now), search `q` in the name or an owner email, sort, cursor ' +
      'pagination. A page may hold fewer than `limit` items with a nextCursor when a filter is selective.',
  })
  @ApiOkResponse({ type: AccountPageResponseDto })
  accounts(@Query() query: AdminAccountsQueryDto) {
    return this.admin.list(query);
  }

  @Get('accounts/:orgId')
  @ApiOperation({
    summary: 'One account: organization, owners, billing view with payment history, notices sent',
  })
  @ApiOkResponse({ type: AccountDetailResponseDto })
  @ApiNotFound('organization')
  account(@Param('orgId', ParseGlobalIdPipe('organization')) orgId: string) {
    return this.admin.account(orgId);
  }

  @Post('accounts/:orgId/pro')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give Pro now (active; invoiced afterwards) until periodEnd (default today + periodDays)',
  })
  @ApiOkResponse({ type: BillingViewResponseDto })
  pro(@Param('orgId', ParseGlobalIdPipe('organization')) orgId: string, @Body() body: GrantProDto) {
    return this.admin.grantPro(orgId, body.periodEnd);
  }

  @Post('accounts/:orgId/trial')
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant a trial of `days` (default policy trialDays)' })
  @ApiConflictResponse({ description: 'PLAN_CONFLICT: the account is on Pro' })
  @ApiOkResponse({ type: BillingViewResponseDto })
  trial(@Param('orgId', ParseGlobalIdPipe('organization')) orgId: string, @Body() body: GrantTrialDto) {
    return this.admin.grantTrial(orgId, body.days);
  }

  @Post('accounts/:orgId/downgrade')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the account to the free plan (status active)' })
  @ApiOkResponse({ type: BillingViewResponseDto })
  downgrade(@Param('orgId', ParseGlobalIdPipe('organization')) orgId: string, @Body() body: DowngradeDto) {
    return this.admin.downgrade(orgId, body.reason);
  }

  @Post('accounts/:orgId/invoices')
  @ApiOperation({ summary: 'Register a Fortnox invoice {invoiceId, amount (öre), dueDate}' })
  @ApiCreatedResponse({ type: InvoiceViewResponseDto, description: 'The invoice' })
  @ApiConflictResponse({ description: 'INVOICE_EXISTS' })
  createInvoice(
    @Param('orgId', ParseGlobalIdPipe('organization')) orgId: string,
    @Body() body: CreateInvoiceDto,
  ) {
    return this.admin.createInvoice(orgId, body);
  }

  @Post('accounts/:orgId/invoices/:invoiceId/paid')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Mark a Fortnox invoice paid → Pro + active; the new period starts at the old periodEnd within grace, else on paidAt',
  })
  @ApiConflictResponse({ description: 'INVOICE_ALREADY_PAID' })
  @ApiOkResponse({ type: BillingViewResponseDto })
  markPaid(
    @Param('orgId', ParseGlobalIdPipe('organization')) orgId: string,
    @Param('invoiceId') invoiceId: string,
    @Body() body: MarkPaidDto,
  ) {
    return this.admin.markPaid(orgId, invoiceId, body.paidAt);
  }

  @Post('invitations')
  @ApiOperation({
    summary:
      'Invite a customer by email to Pro or a trial: applies at once on acceptance (Pro is invoiced afterwards)',
    description:
      'An existing user signs in and accepts with the mailed token; a new customer registers with that address and ' +
      'their household gets the plan when the address is verified.',
  })
  @ApiCreatedResponse({ type: BillingInvitationResponseDto })
  invite(@Body() body: CreateBillingInvitationDto) {
    return this.invitations.create(body.email, body.plan);
  }

  @Get('policy')
  @ApiOperation({ summary: 'The policy card: the rules in force in words (sv/en) and numbers' })
  @ApiOkResponse({ type: PolicyCardResponseDto })
  policy() {
    return this.admin.policy();
  }

  @Patch('policy')
  @ApiOperation({ summary: 'Change the policy (any subset of its fields)' })
  @ApiOkResponse({ type: PolicyCardResponseDto })
  patchPolicy(@Body() body: PatchPolicyDto) {
    return this.admin.patchPolicy(body);
  }

  @Post('run-transitions')
  @HttpCode(200)
  @ApiOperation({
    summary: "Run the daily job's transitions and reminders now, for all accounts; returns what changed",
  })
  @ApiOkResponse({ type: TransitionsRunResponseDto })
  runTransitions() {
    return this.admin.runTransitions();
  }
}
