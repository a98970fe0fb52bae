import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AdminUsersController } from './admin-users.controller';
import { USER_ACCOUNTS, USERS } from './users.contract';
import { UsersRepository } from './users.repository';
import { UserEntity, UserSchema } from './users.schema';
import { UsersService } from './users.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: UserEntity.name, schema: UserSchema }])],
  controllers: [AdminUsersController],
  providers: [
    UsersRepository,
    UsersService,
    { provide: USERS, useExisting: UsersService },
    { provide: USER_ACCOUNTS, useExisting: UsersService },
  ],
  // the repository stays inside: other modules read and write users through the ports (users.contract.ts)
  exports: [UsersService, USERS, USER_ACCOUNTS],
})
export class UsersModule {}
