import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBadRequestResponse,
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { OrgScoped } from '../../../common/auth/decorators';
import { ApiNotFound } from '../../../common/http/api-not-found';
import { ParseGlobalIdPipe } from '../../../common/http/parse-global-id.pipe';
import { ImportsService } from '../imports/imports.service';
import { BookingService, type ApproveInput } from '../matching/booking.service';
import {
  ApproveDto,
  ApproveResponseDto,
  IgnoreDto,
  LinePageResponseDto,
  LineResponseDto,
  ListLinesQueryDto,
  MatchResponseDto,
  RejectDto,
  RejectResponseDto,
  SuggestionListResponseDto,
  UndoMatchResponseDto,
} from './lines.dto';
import { RematchResponseDto } from '../imports/imports.dto';
import { lineView } from './line-view';
import { LinesService } from './lines.service';

/**
 * HTTP of bank lines and their matches. Reads need `viewer`, writes `member`, ignoring a line `admin`. Every path
 * id that is not an id of ours, or names another organization's record, is the same 404.
 */

@ApiTags('bank')
@Controller('bank')
export class BankLinesController {
  constructor(
    private readonly lines: LinesService,
    private readonly booking: BookingService,
    private readonly imports: ImportsService,
  ) {}

  @Get('lines')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'Bank lines, newest booking date first, with filters' })
  @ApiOkResponse({ type: LinePageResponseDto })
  list(@Query() query: ListLinesQueryDto) {
    const { cursor, limit, ...filter } = query;
    return this.lines.list(filter, cursor, limit);
  }

  @Post('lines/rematch')
  @HttpCode(202)
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Recompute suggestions (and automatic bookings) for all open lines in the background',
  })
  @ApiAcceptedResponse({ type: RematchResponseDto })
  rematch() {
    return this.imports.requestRematch();
  }

  @Get('lines/:id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One bank line with its stored suggestions, contract hint and match' })
  @ApiOkResponse({ type: LineResponseDto })
  @ApiNotFound('bank_line')
  get(@Param('id', ParseGlobalIdPipe('bank_line')) id: string) {
    return this.lines.get(id);
  }

  @Get('lines/:id/suggestions')
  @OrgScoped('viewer')
  @ApiOperation({
    summary: 'Ranked candidates for the line: {candidate {type, id}, confidence 0–1, why {sv, en}, signals}',
    description:
      "The suggestions stored at the line's last matching (rejected candidates left out); changes nothing. " +
      'Header `X-Suggestions-Stale: true` when bills, transactions, suppliers or decisions changed since: the ' +
      'rematch job queued by that change recomputes them.',
  })
  @ApiOkResponse({
    type: SuggestionListResponseDto,
    headers: { 'X-Suggestions-Stale': { description: 'true | false', schema: { type: 'string' } } },
  })
  @ApiNotFound('bank_line')
  async suggestions(
    @Param('id', ParseGlobalIdPipe('bank_line')) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { suggestions, stale } = await this.lines.suggestions(id);
    res.setHeader('X-Suggestions-Stale', String(stale));
    return suggestions;
  }

  @Post('lines/:id/approve')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary: 'Book the line: a suggested candidate, or a new transaction in a category',
    description:
      'Marks the bill paid / links (or creates) the transaction, writes the voucher, updates the policy. Retrying completes an interrupted booking. ' +
      "With `create.contractId` the new transaction is recorded as the payment of the contract's scheduled day " +
      "(`create.contractPaymentDate`, default the day of the line's `contract` hint).",
  })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED, INVALID_REFERENCE (create.categoryId, create.supplierId, create.contractId)',
  })
  @ApiUnprocessableEntityResponse({
    description: 'CONTRACT_PAYMENT_NOT_SCHEDULED, CONTRACT_PAYMENT_MONEY_IN',
  })
  @ApiConflictResponse({
    description: 'LINE_NOT_OPEN, CANDIDATE_NOT_AVAILABLE, LINE_BOOKING_IN_PROGRESS, CONTRACT_PAYMENT_LINKED',
  })
  @ApiOkResponse({ type: ApproveResponseDto, description: 'The match and its voucher' })
  @ApiNotFound('bank_line')
  approve(@Param('id', ParseGlobalIdPipe('bank_line')) id: string, @Body() body: ApproveDto) {
    const input: ApproveInput = body.candidateId
      ? { candidateId: body.candidateId }
      : { create: body.create! };
    return this.booking.approve(id, input);
  }

  @Post('lines/:id/reject')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary:
      "Reject a suggestion: recorded, the counterparty's rejected_count grows, automatic booking turns off",
  })
  @ApiOkResponse({ type: RejectResponseDto })
  @ApiNotFound('bank_line')
  reject(@Param('id', ParseGlobalIdPipe('bank_line')) id: string, @Body() body: RejectDto) {
    return this.booking.reject(id, body.candidateId);
  }

  @Post('lines/:id/ignore')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({
    summary: 'Ignore a line (e.g. a transfer between own accounts), with a reason — org admins',
  })
  @ApiOkResponse({ type: LineResponseDto })
  @ApiNotFound('bank_line')
  async ignore(@Param('id', ParseGlobalIdPipe('bank_line')) id: string, @Body() body: IgnoreDto) {
    return lineView(await this.booking.ignore(id, body.reason));
  }

  @Post('lines/:id/unignore')
  @HttpCode(200)
  @OrgScoped('admin')
  @ApiOperation({ summary: 'Take an ignored line back to unmatched — org admins' })
  @ApiOkResponse({ type: LineResponseDto })
  @ApiNotFound('bank_line')
  async unignore(@Param('id', ParseGlobalIdPipe('bank_line')) id: string) {
    return lineView(await this.booking.unignore(id));
  }

  @Get('matches/:id')
  @OrgScoped('viewer')
  @ApiOperation({ summary: 'One match: the candidate, its state, evidence and vouchers' })
  @ApiOkResponse({ type: MatchResponseDto })
  @ApiNotFound('bank_match')
  getMatch(@Param('id', ParseGlobalIdPipe('bank_match')) id: string) {
    return this.booking.getMatch(id);
  }

  @Post('matches/:id/undo')
  @HttpCode(200)
  @OrgScoped('member')
  @ApiOperation({
    summary:
      'Undo a match: a correcting voucher (rättelse) reverses the original, which stays; line back to unmatched, bill back to open',
  })
  @ApiOkResponse({ type: UndoMatchResponseDto })
  @ApiConflictResponse({ description: 'MATCH_ALREADY_UNDONE' })
  @ApiNotFound('bank_match')
  undo(@Param('id', ParseGlobalIdPipe('bank_match')) id: string) {
    return this.booking.undo(id);
  }
}
