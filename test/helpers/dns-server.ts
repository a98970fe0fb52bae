import { createSocket, type Socket } from 'node:dgram';
import ipaddr from 'ipaddr.js';

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) for SSRF tests: answers A and AAAA questions from `records`
 * (name → addresses, IPv4 and IPv6 mixed), NXDOMAIN for unknown names, and counts questions per name. The app
 * resolves endpoint hosts through it with `WEBHOOKS_DNS_SERVERS`, so a test decides what a name resolves to —
 * and can change the answer between two questions (rebinding).
 */
export class DnsServer {
  readonly records = new Map<string, string[]>();
  readonly questions = new Map<string, number>();
  /** Called after each answered question (e.g. to switch a record right after the guard's lookup). */
  onQuestion: (name: string, type: 'A' | 'AAAA') => void = () => undefined;
  private socket: Socket | null = null;
  port = 0;

  async start(): Promise<this> {
    const socket = createSocket('udp4');
    socket.on('message', (message, remote) => {
      const reply = this.answer(message);
      if (reply) socket.send(reply, remote.port, remote.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.socket = socket;
    this.port = socket.address().port;
    return this;
  }

  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private answer(query: Buffer): Buffer | null {
    if (query.length < 12) return null;
    let offset = 12;
    const labels: string[] = [];
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset];
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
      offset += 1 + length;
    }
    offset += 1;
    const qtype = query.readUInt16BE(offset);
    const questionEnd = offset + 4;
    const name = labels.join('.').toLowerCase();
    const type = qtype === 28 ? 'AAAA' : qtype === 1 ? 'A' : null;
    this.questions.set(name, (this.questions.get(name) ?? 0) + 1);
    const known = this.records.get(name);
    const addresses = (known ?? []).filter((a) =>
      type === 'AAAA' ? a.includes(':') : type === 'A' && !a.includes(':'),
    );
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(known ? 0x8580 : 0x8583, 2); // response, authoritative, RD; NXDOMAIN for unknown names
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const answers = addresses.map((address) => {
      const bytes = Buffer.from(ipaddr.parse(address).toByteArray());
      const record = Buffer.alloc(12);
      record.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      record.writeUInt16BE(type === 'AAAA' ? 28 : 1, 2);
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(0, 6); // TTL 0: nothing cached
      record.writeUInt16BE(bytes.length, 10);
      return Buffer.concat([record, bytes]);
    });
    if (type) this.onQuestion(name, type);
    return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
  }
}
