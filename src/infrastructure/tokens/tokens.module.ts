import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OneTimeTokensService } from './one-time-tokens.service';
import { TokensRepository } from './tokens.repository';
import { OneTimeTokenEntity, OneTimeTokenSchema, TokenUseEntity, TokenUseSchema } from './tokens.schema';

@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: OneTimeTokenEntity.name, schema: OneTimeTokenSchema },
      { name: TokenUseEntity.name, schema: TokenUseSchema },
    ]),
  ],
  providers: [TokensRepository, OneTimeTokensService],
  exports: [OneTimeTokensService],
})
export class TokensModule {}
