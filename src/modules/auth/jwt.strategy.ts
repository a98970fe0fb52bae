import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { RequestContext, type Actor } from '../../common/context/request-context';
import { CommonError } from '../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { UsersRepository } from '../users/users.repository';
import type { AccessTokenPayload } from './auth.service';

/**
 * Bearer access tokens (HS256). The user is read on every request (an `_id` lookup) so that a deleted user, a
 * changed role or a bumped token version (password reset) takes effect at once, not when the token expires.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersRepository,
    private readonly context: RequestContext,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.auth.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: AccessTokenPayload): Promise<Actor> {
    const user = typeof payload.sub === 'string' ? await this.users.findById(payload.sub) : null;
    if (!user || user.tokenVersion !== payload.tv) throw new CommonError('UNAUTHORIZED');
    const actor: Actor = { userId: user._id, platformRole: user.role };
    this.context.setActor(actor);
    return actor;
  }
}
