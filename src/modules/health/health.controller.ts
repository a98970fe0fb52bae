import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { Public } from '../../common/auth/decorators';
import { REDIS } from '../../infrastructure/redis/redis.module';

const TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS);
      }),
    ]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
// Public and not an auth route: none of the rate limits applies (see common/http/throttling.ts).
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: '{status: "ok"}' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: MongoDB and Redis reachable' })
  @ApiOkResponse({ description: '{status: "ok", mongodb: "up", redis: "up"}' })
  @ApiServiceUnavailableResponse({ description: 'One of them is down' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const [mongodb, redis] = await Promise.all([
      probe(() => this.mongo.db!.admin().ping()),
      probe(() => this.redis.ping()),
    ]);
    const ok = mongodb === 'up' && redis === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', mongodb, redis };
  }
}
