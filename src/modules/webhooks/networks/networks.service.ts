import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '../../../common/context/request-context';
import { notFound } from '../../../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { TAKEN } from '../../../infrastructure/mongo/unique';
import { AuditAction } from '../../audit/audit-action';
import { AuditService } from '../../audit/audit.service';
import { parseNetwork, type Network } from '../common/ssrf';
import { WebhooksError } from '../webhooks.errors';
import { NetworksRepository } from './networks.repository';

export interface AllowedNetworkView {
  cidr: string;
  note: string | null;
  source: 'admin' | 'config';
  createdAt: Date | null;
}

/** How long a process trusts its copy of the admins' list (another process's change reaches it within this). */
const CACHE_MS = 10_000;

/**
 * The networks webhook deliveries may reach although they are not public: `WEBHOOKS_ALLOWED_NETWORKS` plus what
 * platform admins add (`/admin/webhooks/allowed-networks`). Metadata addresses stay refused inside them.
 */
@Injectable()
export class NetworksService {
  private cache: { at: number; networks: Network[] } | null = null;

  constructor(
    private readonly repository: NetworksRepository,
    private readonly audit: AuditService,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private configured(): Network[] {
    return this.config.webhooks.allowedNetworks.map(parseNetwork).filter((n): n is Network => n !== null);
  }

  /** Every allowed network (cached for `CACHE_MS`; this process's own changes apply at once). */
  async allowed(): Promise<Network[]> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.networks;
    const stored = (await this.repository.all())
      .map((n) => parseNetwork(n._id))
      .filter((n): n is Network => n !== null);
    const networks = [...this.configured(), ...stored];
    this.cache = { at: Date.now(), networks };
    return networks;
  }

  async list(): Promise<AllowedNetworkView[]> {
    const stored = await this.repository.all();
    return [
      ...this.configured().map((n) => ({
        cidr: n.cidr,
        note: 'WEBHOOKS_ALLOWED_NETWORKS',
        source: 'config' as const,
        createdAt: null,
      })),
      ...stored.map((n) => ({ cidr: n._id, note: n.note, source: 'admin' as const, createdAt: n.createdAt })),
    ];
  }

  async add(cidr: string, note: string | null): Promise<AllowedNetworkView> {
    const network = parseNetwork(cidr);
    if (!network) throw new WebhooksError('INVALID_NETWORK', undefined, { field: 'cidr' });
    const [address, bits] = network.range;
    // A whole address family (0.0.0.0/0, ::/0) or more than a /16 (a /48 in IPv6) is not "a LAN host".
    if (bits < (address.kind() === 'ipv4' ? 16 : 48))
      throw new WebhooksError('INVALID_NETWORK', 'at most a /16 (IPv4) or a /48 (IPv6)', { field: 'cidr' });
    const created = await this.repository.add(network.cidr, note, this.context.actor?.userId ?? null);
    if (created === TAKEN)
      throw new WebhooksError('NETWORK_ALREADY_ALLOWED', undefined, { cidr: network.cidr });
    this.cache = null;
    await this.audit.record({
      action: AuditAction.WebhookAllowedNetworkAdded,
      organizationId: null,
      targetType: 'webhook_allowed_network',
      targetId: network.cidr,
      metadata: { note },
    });
    return { cidr: created._id, note: created.note, source: 'admin', createdAt: created.createdAt };
  }

  async remove(cidr: string): Promise<void> {
    const network = parseNetwork(cidr);
    if (!network || !(await this.repository.remove(network.cidr))) throw notFound('webhook_allowed_network');
    this.cache = null;
    await this.audit.record({
      action: AuditAction.WebhookAllowedNetworkRemoved,
      organizationId: null,
      targetType: 'webhook_allowed_network',
      targetId: network.cidr,
    });
  }
}
