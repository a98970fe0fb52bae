import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { cacheGenerationPlugin } from '../cache/generations';
import { configureBulkWrites } from './bulk-writes';
import { GlobalIdService } from './global-id.service';
import { tenantScopingGaps } from './plugins';

@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        configureBulkWrites({ statementsInFlight: config.mongo.bulkStatementsInFlight });
        return {
          uri: config.mongo.uri,
          // While the database is unreachable an operation fails within 3 s (answered 503) instead of waiting 10 s:
          // no server to select, or Mongoose stops buffering it while disconnected.
          serverSelectionTimeoutMS: 3_000,
          bufferTimeoutMS: 3_000,
          autoIndex: true,
          autoCreate: true,
          // Before any model is compiled: every write bumps the cache generations of what it touched.
          connectionFactory: (connection: Connection) => connection.plugin(cacheGenerationPlugin),
        };
      },
    }),
  ],
  providers: [GlobalIdService],
  exports: [GlobalIdService],
})
export class MongoModule implements OnModuleInit {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** Every model is registered by now (providers are built before init hooks run): refuse to boot with a gap. */
  onModuleInit(): void {
    const gaps = tenantScopingGaps(this.connection);
    if (gaps.length) {
      throw new Error(
        `Tenant data without tenantScopedPlugin (or declareCrossTenant): ${gaps.join(', ')}. ` +
          'See docs/modules.md, "Schemas".',
      );
    }
  }
}
