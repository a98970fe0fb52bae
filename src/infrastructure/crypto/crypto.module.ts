import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { FieldCrypto } from './field-crypto';

@Global()
@Module({
  providers: [
    {
      provide: FieldCrypto,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new FieldCrypto(config.crypto.keys, config.crypto.activeKeyId),
    },
  ],
  exports: [FieldCrypto],
})
export class CryptoModule {}
