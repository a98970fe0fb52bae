import { Inject, Injectable, Logger } from '@nestjs/common';
import { MailService } from '../../../infrastructure/mail/mail.service';
import {
  ORGANIZATIONS_DIRECTORY,
  type OrganizationsDirectory,
} from '../../organizations/organizations.contract';
import { OrganizationsService } from '../../organizations/organizations.service';
import { USERS, type UsersDirectory } from '../../users/users.contract';
import type { DisabledReason, WebhookEndpointDoc } from '../endpoints/endpoints.schema';

/** Mails an organization's owners, each in their language, that the delivery disabled one of its endpoints. */
@Injectable()
export class EndpointNotifier {
  private readonly logger = new Logger(EndpointNotifier.name);

  constructor(
    private readonly organizations: OrganizationsService,
    @Inject(ORGANIZATIONS_DIRECTORY) private readonly directory: OrganizationsDirectory,
    @Inject(USERS) private readonly users: UsersDirectory,
    private readonly mail: MailService,
  ) {}

  async disabled(endpoint: WebhookEndpointDoc, reason: DisabledReason): Promise<number> {
    const org = await this.directory.findOrganization(endpoint.organizationId);
    if (!org) return 0;
    const owners = (await this.organizations.members(endpoint.organizationId)).filter(
      (m) => m.role === 'owner',
    );
    if (!owners.length)
      this.logger.warn({ endpointId: endpoint._id }, 'disabled webhook without an owner to mail');
    for (const owner of owners) {
      const user = await this.users.findById(owner.userId);
      await this.mail.send(
        owner.email,
        'webhook-endpoint-disabled',
        user?.preferences.ui.locale ?? 'sv',
        {
          name: owner.name,
          organization: org.name,
          endpoint: endpoint.name,
          url: endpoint.urlMasked,
          reason,
          since: (endpoint.failingSince ?? endpoint.lastFailureAt ?? new Date()).toISOString().slice(0, 10),
        },
        endpoint.organizationId,
      );
    }
    return owners.length;
  }
}
