import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { configureBulkWrites } from './bulk-writes';
import { GlobalIdService } from './global-id.service';

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
        };
      },
    }),
  ],
  providers: [GlobalIdService],
  exports: [GlobalIdService],
})
export class MongoModule {}
