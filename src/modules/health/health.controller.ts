import { Controller, Get, HttpCode, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/decorators';
import { DependencyProbes } from '../../infrastructure/health/dependency-probes';
import { READINESS_TIMEOUT_MS } from '../../infrastructure/health/readiness';
import { DatabaseWatchdog } from '../../infrastructure/queue/database-watchdog';
import { LivenessResponseDto, ReadinessResponseDto } from './health.dto';

@ApiTags('health')
// Public and not an auth route: none of the rate limits applies (see common/http/throttling.ts).
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly probes: DependencyProbes,
    // Present where the role includes the worker (APP_ROLE=all here; a worker-only process has no HTTP).
    @Optional() private readonly watchdog?: DatabaseWatchdog,
  ) {}

  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponseDto })
  live(): LivenessResponseDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: `Readiness: MongoDB and Redis answer a ping within ${READINESS_TIMEOUT_MS} ms`,
    description:
      'With APP_ROLE=all also `workers`: `paused` while the database watchdog holds the queue workers.',
  })
  @ApiOkResponse({ type: ReadinessResponseDto })
  @ApiServiceUnavailableResponse({ type: ReadinessResponseDto, description: 'One of them is down' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessResponseDto> {
    const { mongodb, redis } = await this.probes.ping();
    const ok = mongodb === 'up' && redis === 'up';
    res.status(ok ? 200 : 503);
    const workers = this.watchdog ? { workers: this.watchdog.workers } : {};
    return { status: ok ? 'ok' : 'unavailable', mongodb, redis, ...workers };
  }
}
