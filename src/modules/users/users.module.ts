import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AdminUsersController } from './admin-users.controller';
import { SecurityEventsRepository } from './security-events/security-events.repository';
import { SecurityEventEntity, SecurityEventSchema } from './security-events/security-events.schema';
import { SecurityEventsService } from './security-events/security-events.service';
import { USER_ACCOUNTS, USERS } from './users.contract';
import { UsersRepository } from './users.repository';
import { UserEntity, UserSchema } from './users.schema';
import { UsersService } from './users.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: UserEntity.name, schema: UserSchema },
      { name: SecurityEventEntity.name, schema: SecurityEventSchema },
    ]),
  ],
  controllers: [AdminUsersController],
  providers: [
    UsersRepository,
    UsersService,
    SecurityEventsRepository,
    SecurityEventsService,
    { provide: USERS, useExisting: UsersService },
    { provide: USER_ACCOUNTS, useExisting: UsersService },
  ],
  // the repository stays inside: other modules read and write users through the ports (users.contract.ts)
  exports: [UsersService, SecurityEventsService, USERS, USER_ACCOUNTS],
})
export class UsersModule {}
