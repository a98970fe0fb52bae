import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthRateLimited, CurrentActor, Public } from '../../common/auth/decorators';
import type { Actor } from '../../common/context/request-context';
import { OrganizationsService } from '../organizations/organizations.service';
import { UpdateMeDto, UpdatePreferencesDto } from '../users/users.dto';
import { UsersService } from '../users/users.service';
import {
  ChangePasswordDto,
  EmailDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  ResetPasswordDto,
  TokenDto,
} from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @AuthRateLimited()
  @ApiOperation({ summary: 'Create an account and its household; a verification mail is sent (no tokens)' })
  @ApiCreatedResponse({ description: 'The new user' })
  register(@Body() body: RegisterDto) {
    return this.auth.register(body.email, body.password, body.name);
  }

  @Post('verify-email')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Confirm the email address with the mailed single-use token (24 h)' })
  verifyEmail(@Body() body: TokenDto) {
    return this.auth.verifyEmail(body.token);
  }

  @Post('resend-verification')
  @HttpCode(202)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Send the verification mail again (always 202)' })
  @ApiAcceptedResponse()
  async resendVerification(@Body() body: EmailDto) {
    await this.auth.resendVerification(body.email);
    return { accepted: true };
  }

  @Post('login')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Sign in → {accessToken, refreshToken, tokenType, expiresIn}' })
  @ApiOkResponse({ description: 'A token pair' })
  login(@Body() body: LoginDto) {
    return this.auth.login(body.email, body.password);
  }

  @Post('refresh')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Swap a refresh token for a new pair (each refresh token works once)' })
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
  @ApiOperation({ summary: 'Mail a password reset token (1 h) if the account exists (always 202)' })
  async forgotPassword(@Body() body: EmailDto) {
    await this.auth.forgotPassword(body.email);
    return { accepted: true };
  }

  @Post('reset-password')
  @HttpCode(200)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Set a new password with the mailed token; every session is ended' })
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
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user, with organizations and preferences' })
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
  update(@CurrentActor() actor: Actor, @Body() body: UpdateMeDto) {
    return this.users.updateProfile(actor.userId, body);
  }

  @Patch('preferences')
  @ApiOperation({
    summary: 'Change preferences: notifications, ui (locale sv/en, theme, date format), trash',
  })
  preferences(@CurrentActor() actor: Actor, @Body() body: UpdatePreferencesDto) {
    return this.users.updatePreferences(actor.userId, body);
  }

  @Post('password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change password; ends every other session and returns a fresh token pair' })
  changePassword(@CurrentActor() actor: Actor, @Body() body: ChangePasswordDto) {
    return this.auth.changePassword(actor.userId, body.currentPassword, body.newPassword);
  }
}
