import { Global, Module } from '@nestjs/common';
import { CacheService } from './cache.service';

/** Global: any module's service injects `CacheService` (docs/cache.md). */
@Global()
@Module({ providers: [CacheService], exports: [CacheService] })
export class CacheModule {}
