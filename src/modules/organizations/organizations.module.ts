import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsersModule } from '../users/users.module';
import { OrgContextGuard } from './org-context.guard';
import { OrganizationsDirectoryRepository } from './organizations-directory.repository';
import { ORGANIZATIONS_DIRECTORY } from './organizations.contract';
import { OrganizationsController } from './organizations.controller';
import {
  InvitationsRepository,
  MembershipsRepository,
  OrganizationsRepository,
} from './organizations.repository';
import {
  InvitationEntity,
  InvitationSchema,
  MembershipEntity,
  MembershipSchema,
  OrganizationEntity,
  OrganizationSchema,
} from './organizations.schema';
import { OrganizationsService } from './organizations.service';

@Module({
  imports: [
    UsersModule,
    MongooseModule.forFeature([
      { name: OrganizationEntity.name, schema: OrganizationSchema },
      { name: MembershipEntity.name, schema: MembershipSchema },
      { name: InvitationEntity.name, schema: InvitationSchema },
    ]),
  ],
  controllers: [OrganizationsController],
  providers: [
    OrganizationsRepository,
    MembershipsRepository,
    InvitationsRepository,
    OrganizationsDirectoryRepository,
    OrganizationsService,
    { provide: ORGANIZATIONS_DIRECTORY, useExisting: OrganizationsDirectoryRepository },
    OrgContextGuard,
  ],
  exports: [OrganizationsService, OrgContextGuard, ORGANIZATIONS_DIRECTORY],
})
export class OrganizationsModule {}
