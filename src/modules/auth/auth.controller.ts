import { Body, Controller, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthRateLimited, CurrentActor, Public } from '../../common/auth/decorators';
import type { Actor } from '../../common/context/request-context';
import { OrganizationsService } from '../organizations/organizations.service';
import {
  SecurityEventPageResponseDto,
  SecurityEventsQueryDto,
} from '../users/security-events/security-events.dto';
import { SecurityEventsService } from '../users/security-events/security-events.service';
import {
  PreferencesResponseDto,
  UpdateMeDto,
  UpdatePreferencesDto,
  UserResponseDto,
} from '../users/users.dto';
import { UsersService } from '../users/users.service';
import {
  AcceptedResponseDto,
  ChangePasswordDto,
  EmailDto,
  LoginDto,
  MeResponseDto,
  PasswordResetResponseDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenPairResponseDto,
  VerifiedResponseDto,
  VerifyEmailDto,
} from './auth.dto';
import { AuthError } from './auth.errors';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @AuthRateLimited()
  @ApiOperation({ summary: 'Create an account and its household; a verification mail is sent (no tokens)' })
  @ApiCreatedResponse({ type: UserResponseDto, description: 'The new user (not signed in: no tokens)' })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN' })
  register(@Body() body: RegisterDto) {
    return this.auth.register(body.email, body.password, body.name);
  }

  @Post('verify-email')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Confirm the email address with the mailed single-use token (24 h) and set the password: only the holder of ' +
      'the link chooses it',
  })
  @ApiOkResponse({ type: VerifiedResponseDto })
  @ApiBadRequestResponse({ description: 'INVALID_TOKEN' })
  verifyEmail(@Body() body: VerifyEmailDto) {
    return this.auth.verifyEmail(body.token, body.password);
  }

  @Post('resend-verification')
  @HttpCode(202)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Send the verification mail again, at most 3 an hour per address (always 202)' })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  async resendVerification(@Body() body: EmailDto) {
    await this.auth.resendVerification(body.email);
    return { accepted: true };
  }

  @Post('login')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Sign in → {accessToken, refreshToken, tokenType, expiresIn}' })
  @ApiOkResponse({ type: TokenPairResponseDto, description: 'A token pair' })
  @ApiTooManyRequestsResponse({
    description:
      'TOO_MANY_FAILED_LOGINS (this account from this client IP; Retry-After), RATE_LIMITED (per IP)',
  })
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) res: Response) {
    try {
      return await this.auth.login(body.email, body.password);
    } catch (error) {
      const details = (error as { details?: { retryAfterSeconds?: unknown } }).details;
      if (error instanceof AuthError && typeof details?.retryAfterSeconds === 'number')
        res.setHeader('Retry-After', String(details.retryAfterSeconds));
      throw error;
    }
  }

  @Post('refresh')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Swap a refresh token for a new pair (each refresh token works once)' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session (its refresh token family)' })
  @ApiNoContentResponse()
  async logout(@Body() body: RefreshDto) {
    await this.auth.logout(body.refreshToken);
  }

  @Post('forgot-password')
  @HttpCode(202)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Mail a password reset token (1 h) if the account exists, at most 3 an hour per address (always 202)',
  })
  @ApiAcceptedResponse({ type: AcceptedResponseDto })
  async forgotPassword(@Body() body: EmailDto) {
    await this.auth.forgotPassword(body.email);
    return { accepted: true };
  }

  @Post('reset-password')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Set a new password with the mailed token; every session is ended' })
  @ApiOkResponse({ type: PasswordResetResponseDto })
  @ApiBadRequestResponse({ description: 'INVALID_TOKEN' })
  resetPassword(@Body() body: ResetPasswordDto) {
    return this.auth.resetPassword(body.token, body.password);
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly organizations: OrganizationsService,
    private readonly securityEvents: SecurityEventsService,
  ) {}

  @Get('security-events')
  @ApiOperation({
    summary:
      'Your security events (sign-ins, failed sign-ins, password changes), newest first; the newest 200, a year',
  })
  @ApiOkResponse({ type: SecurityEventPageResponseDto })
  securityEventsOfMe(@CurrentActor() actor: Actor, @Query() query: SecurityEventsQueryDto) {
    return this.securityEvents.list(actor.userId, query);
  }

  @Get()
  @ApiOperation({ summary: 'The signed-in user, with organizations and preferences' })
  @ApiOkResponse({ type: MeResponseDto })
  async me(@CurrentActor() actor: Actor) {
    const [user, organizations] = await Promise.all([
      this.users.get(actor.userId),
      this.organizations.listForUser(actor.userId),
    ]);
    return {
      ...this.users.view(user),
      organizations: organizations.map(({ id, name, type, role }) => ({ id, name, type, role })),
    };
  }

  @Patch()
  @ApiOperation({ summary: 'Change your name or personal identity number (stored encrypted)' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'INVALID_PERSONAL_IDENTITY_NUMBER' })
  update(@CurrentActor() actor: Actor, @Body() body: UpdateMeDto) {
    return this.users.updateProfile(actor.userId, body);
  }

  @Patch('preferences')
  @ApiOperation({
    summary: 'Change preferences: notifications, ui (locale sv/en, theme, date format), trash',
  })
  @ApiOkResponse({ type: PreferencesResponseDto, description: 'All preferences after the change' })
  preferences(@CurrentActor() actor: Actor, @Body() body: UpdatePreferencesDto) {
    return this.users.updatePreferences(actor.userId, body);
  }

  @Post('password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change password; ends every other session and returns a fresh token pair' })
  @ApiOkResponse({ type: TokenPairResponseDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS (the current password is wrong)' })
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto) {
    return this.auth.changePassword(actor.userId, body.currentPassword, body.newPassword);
  }
}
