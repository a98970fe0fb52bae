import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { BillingModule } from '../billing/billing.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { AuthLimits } from './auth-limits';
import { AuthController, MeController } from './auth.controller';
import { JwtAuthGuard, PlatformRolesGuard } from './auth.guards';
import { AuthRepository } from './auth.repository';
import { RefreshTokenEntity, RefreshTokenSchema } from './auth.schema';
import { AuthService } from './auth.service';

@Module({
  imports: [
    UsersModule,
    OrganizationsModule,
    BillingModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.accessTtlSeconds },
      }),
    }),
    MongooseModule.forFeature([{ name: RefreshTokenEntity.name, schema: RefreshTokenSchema }]),
  ],
  controllers: [AuthController, MeController],
  providers: [AuthService, AuthRepository, AuthLimits, JwtAuthGuard, PlatformRolesGuard],
  exports: [JwtAuthGuard, PlatformRolesGuard],
})
export class AuthModule {}
