import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { GlobalIdService } from './global-id.service';

@Global()
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        uri: config.mongo.uri,
        serverSelectionTimeoutMS: 10_000,
        autoIndex: true,
        autoCreate: true,
      }),
    }),
  ],
  providers: [GlobalIdService],
  exports: [GlobalIdService],
})
export class MongoModule {}
