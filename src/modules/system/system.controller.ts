import { Controller, Get, Headers, HttpCode, Inject, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public, Roles } from '../../common/auth/decorators';
import { CommonError } from '../../common/errors/domain-error';
import { ApiFileResponse } from '../../common/http/api-responses';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Metrics } from '../../infrastructure/metrics/metrics';
import { SystemReportDto } from './system.dto';
import { SystemService } from './system.service';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

@ApiTags('admin')
@Controller()
export class SystemController {
  constructor(
    private readonly system: SystemService,
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('admin/system')
  @Roles('admin')
  @ApiOperation({
    summary: 'System health (platform admins): every dependency and background part, one overall status',
    description:
      'Always 200 while the API answers; `status` is ok, degraded or down (the worst component), `reasons` says ' +
      'why. Components: database, redis, queues, jobs, mail, disk, and registered contributors (webhooks, storage).',
  })
  @ApiOkResponse({ type: SystemReportDto })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: no or bad access token' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not a platform admin' })
  report() {
    return this.system.report();
  }

  @Get('metrics')
  @Public()
  @HttpCode(200)
  @ApiTags('system')
  @ApiOperation({
    summary: 'Prometheus metrics (text format), for a scraper holding METRICS_TOKEN',
    description:
      'Authorization: Bearer <METRICS_TOKEN>. Without METRICS_TOKEN configured the route does not exist (404).',
  })
  @ApiHeader({ name: 'Authorization', description: 'Bearer <METRICS_TOKEN>', required: true })
  @ApiFileResponse(['text/plain'], { description: 'Prometheus text exposition format 0.0.4', format: 'text' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHORIZED: missing or wrong token' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: METRICS_TOKEN is not configured' })
  async prometheus(@Headers('authorization') authorization: string | undefined, @Res() res: Response) {
    const expected = this.config.system.metricsToken;
    if (!expected) throw new CommonError('NOT_FOUND', undefined, { type: 'route' });
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
    if (!sameToken(given, expected))
      throw new CommonError(
        'UNAUTHORIZED',
        'A valid metrics token is required (Authorization: Bearer <METRICS_TOKEN>)',
      );
    await this.system.refreshQueueGauges();
    const { contentType, body } = await this.metrics.render();
    res.status(200).type(contentType).send(body);
  }
}
