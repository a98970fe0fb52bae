import { Inject, Injectable } from '@nestjs/common';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { checkAddress, hostOf, isLocalhostName, urlProblem, type Network } from '../common/ssrf';
import { NetworksService } from '../networks/networks.service';

/** Where a URL may be sent: the checked address to pin the connection to, or why not. */
export type Target =
  | { ok: true; url: URL; address: string; family: 4 | 6 }
  | { ok: false; reason: string; address?: string; dnsFailed?: boolean };

export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  /** null on a 2xx answer. */
  error: string | null;
  response: string | null;
  retryAfter: string | null;
}

const RESPONSE_CHARS = 512;
const DNS_TIMEOUT_MS = 3_000;

/**
 * The one way a webhook leaves the process, with the SSRF guard (docs/webhooks.md#ssrf): the URL's host is
 * resolved here (IP literals as they are, `localhost` names as loopback without asking DNS), every address must
 * pass `checkAddress`, and the request connects to the first checked address through a `lookup` that answers only
 * it — so a DNS answer that changes between the check and the connection (rebinding) cannot redirect it. Redirects
 * are not followed (a 3xx is a failed attempt), so there is no second host to check.
 */
@Injectable()
export class WebhookSender {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly networks: NetworksService,
  ) {}

  /** Every address of a host name: the configured DNS servers (A and AAAA), else the system resolver. */
  private async resolve(name: string): Promise<string[]> {
    if (isLocalhostName(name)) return ['127.0.0.1', '::1'];
    const servers = this.config.webhooks.dnsServers;
    if (!servers.length) {
      const found = await dns.lookup(name, { all: true, verbatim: true });
      return found.map((a) => a.address);
    }
    const resolver = new dns.Resolver({ timeout: DNS_TIMEOUT_MS, tries: 1 });
    resolver.setServers(servers);
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
    const addresses = [
      ...(v4.status === 'fulfilled' ? v4.value : []),
      ...(v6.status === 'fulfilled' ? v6.value : []),
    ];
    if (!addresses.length) {
      const reason: unknown =
        v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : null;
      throw reason instanceof Error ? reason : new Error('no address');
    }
    return addresses;
  }

  /** Resolves and checks a URL (at every attempt, and when an endpoint is created or changed). */
  async target(text: string, allowed?: Network[]): Promise<Target> {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, reason: 'not a URL' };
    }
    const problem = urlProblem(url);
    if (problem) return { ok: false, reason: problem };
    const networks = allowed ?? (await this.networks.allowed());
    const host = hostOf(url);
    let addresses: string[];
    if (host.kind === 'ip') addresses = [host.address];
    else {
      try {
        addresses = await this.resolve(host.name);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'failed';
        return { ok: false, reason: `dns ${code}`, dnsFailed: true };
      }
    }
    const verdicts = addresses.map((a) => checkAddress(a, networks));
    const refused = verdicts.find((v) => !v.allowed);
    if (refused && !refused.allowed) return { ok: false, reason: refused.reason, address: refused.address };
    const address = verdicts[0].address;
    return { ok: true, url, address, family: address.includes(':') ? 6 : 4 };
  }

  /** One POST to a checked target, within the timeout; never throws. */
  send(
    target: Extract<Target, { ok: true }>,
    headers: Record<string, string>,
    body: string,
  ): Promise<SendResult> {
    const started = process.hrtime.bigint();
    const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
    const pinned: LookupFunction = (_hostname, options, callback) => {
      const cb = callback as (...args: unknown[]) => void;
      if ((options as { all?: boolean }).all) cb(null, [{ address: target.address, family: target.family }]);
      else cb(null, target.address, target.family);
    };
    const client = target.url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve({ ...result, durationMs: elapsed() });
      };
      const request = client.request(
        target.url,
        {
          method: 'POST',
          agent: false,
          lookup: pinned,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'WestWallet-Webhooks/1.0',
          },
        },
        (response) => {
          const statusCode = response.statusCode ?? 0;
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            if (text.length < RESPONSE_CHARS) text += chunk;
            if (text.length >= RESPONSE_CHARS) response.destroy();
          });
          const done = () =>
            finish({
              statusCode,
              error:
                statusCode >= 200 && statusCode < 300
                  ? null
                  : statusCode >= 300 && statusCode < 400
                    ? `redirect not followed (HTTP ${statusCode})`
                    : `HTTP ${statusCode}`,
              response: text.slice(0, RESPONSE_CHARS) || null,
              retryAfter: response.headers['retry-after'] ?? null,
            });
          response.on('end', done);
          response.on('close', done);
          response.on('error', done);
        },
      );
      const deadline = setTimeout(() => {
        request.destroy(new Error('timeout'));
        finish({ statusCode: null, error: 'timeout', response: null, retryAfter: null });
      }, this.config.webhooks.timeoutMs);
      request.on('error', (error: NodeJS.ErrnoException) =>
        finish({
          statusCode: null,
          error: error.code ? `connection ${error.code}` : error.message.slice(0, 200),
          response: null,
          retryAfter: null,
        }),
      );
      request.end(body);
    });
  }
}
