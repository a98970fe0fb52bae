import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';

/** One request a receiver got. */
export interface Received {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A local HTTP receiver for webhook tests: records every request and answers with `respond` (default 200). `down()`
 * closes it (connections are refused), `up()` listens again on the same port.
 */
export class Receiver {
  readonly received: Received[] = [];
  respond: (request: Received) => Answer | Promise<Answer> = () => ({ status: 200 });
  private server: Server | null = null;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          json = null;
        }
        const request: Received = { at: Date.now(), path: req.url ?? '/', headers: req.headers, body, json };
        this.received.push(request);
        void Promise.resolve(this.respond(request)).then((answer) => {
          res.writeHead(answer.status, answer.headers ?? {});
          res.end(answer.body ?? '');
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async up(): Promise<void> {
    await this.start(this.port);
  }

  close(): Promise<void> {
    return this.down();
  }

  ids(): string[] {
    return this.received.map((r) => String(r.headers['webhook-id']));
  }
}

/**
 * Checks the Standard Webhooks signature with the `standardwebhooks` package: every `v1,` signature in the header
 * must be one of the secrets' (`sign` of id.timestamp.body), and each secret must have signed. Works at any Clock
 * (the package's own `verify` also checks the timestamp against the real time; `verifyNow` uses it).
 */
export function signedBy(request: Received, secrets: string[]): boolean {
  const id = String(request.headers['webhook-id']);
  const timestamp = Number(request.headers['webhook-timestamp']);
  const signatures = String(request.headers['webhook-signature']).split(' ');
  const expected = secrets.map((s) => new Webhook(s).sign(id, new Date(timestamp * 1000), request.body));
  return signatures.length === expected.length && expected.every((e) => signatures.includes(e));
}

/** The package's own verification (signature and a timestamp within 5 minutes of now); throws when it fails. */
export function verifyNow(request: Received, secret: string): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

const iso = z.iso.datetime({ offset: true });

/** Standard Webhooks payload structure: `{type, timestamp, data}`. */
export const standardPayload = z.strictObject({
  type: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
  timestamp: iso,
  data: z.record(z.string(), z.unknown()),
});

/**
 * Discord "Execute Webhook" body, from discord.com/developers/docs/resources/webhook#execute-webhook and the embed
 * limits (…/resources/message#embed-object-embed-limits): content ≤ 2000, username ≤ 80, ≤ 10 embeds; title ≤ 256,
 * description ≤ 4096, ≤ 25 fields with name ≤ 256 and value ≤ 1024 (neither empty), footer text ≤ 2048, author
 * name ≤ 256, color an integer colour, timestamp ISO 8601, and all these texts together ≤ 6000 characters.
 */
const embed = z.strictObject({
  title: z.string().min(1).max(256).optional(),
  description: z.string().max(4096).optional(),
  url: z.url().optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  timestamp: iso.optional(),
  footer: z.strictObject({ text: z.string().min(1).max(2048), icon_url: z.url().optional() }).optional(),
  author: z.strictObject({ name: z.string().min(1).max(256), url: z.url().optional() }).optional(),
  fields: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(256),
        value: z.string().min(1).max(1024),
        inline: z.boolean().optional(),
      }),
    )
    .max(25)
    .optional(),
});
export const discordPayload = z
  .strictObject({
    content: z.string().max(2000).optional(),
    username: z.string().min(1).max(80).optional(),
    avatar_url: z.url().optional(),
    tts: z.boolean().optional(),
    allowed_mentions: z.strictObject({ parse: z.array(z.enum(['roles', 'users', 'everyone'])) }).optional(),
    embeds: z.array(embed).max(10).optional(),
  })
  .refine((b) => (b.content?.length ?? 0) > 0 || (b.embeds?.length ?? 0) > 0, 'content or embeds is required')
  .refine(
    (b) =>
      (b.embeds ?? []).reduce(
        (n, e) =>
          n +
          (e.title?.length ?? 0) +
          (e.description?.length ?? 0) +
          (e.footer?.text.length ?? 0) +
          (e.author?.name.length ?? 0) +
          (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
        0,
      ) <= 6000,
    'embeds have more than 6000 characters in all',
  );

/**
 * Slack incoming webhook with Block Kit (api.slack.com/reference/block-kit/blocks): `text` (the notification
 * fallback), ≤ 50 blocks; header: plain_text ≤ 150; section: text ≤ 3000 and/or ≤ 10 fields of ≤ 2000; context:
 * ≤ 10 text elements; divider; block_id ≤ 255.
 */
const plain = (max: number) =>
  z.strictObject({
    type: z.literal('plain_text'),
    text: z.string().min(1).max(max),
    emoji: z.boolean().optional(),
  });
const mrkdwn = (max: number) =>
  z.strictObject({
    type: z.literal('mrkdwn'),
    text: z.string().min(1).max(max),
    verbatim: z.boolean().optional(),
  });
const textObject = (max: number) => z.union([plain(max), mrkdwn(max)]);
const blockId = z.string().max(255).optional();
const slackBlock = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('header'), text: plain(150), block_id: blockId }),
  z
    .strictObject({
      type: z.literal('section'),
      text: textObject(3000).optional(),
      fields: z.array(textObject(2000)).min(1).max(10).optional(),
      block_id: blockId,
    })
    .refine((s) => s.text !== undefined || s.fields !== undefined, 'a section needs text or fields'),
  z.strictObject({
    type: z.literal('context'),
    elements: z.array(textObject(3000)).min(1).max(10),
    block_id: blockId,
  }),
  z.strictObject({ type: z.literal('divider'), block_id: blockId }),
]);
export const slackPayload = z.strictObject({
  text: z.string().min(1).max(40_000),
  blocks: z.array(slackBlock).min(1).max(50),
});

/**
 * Home Assistant webhook trigger (home-assistant.io/docs/automation/trigger/#webhook-trigger): any JSON body is
 * accepted and reaches the automation as `trigger.json`; ours is flat — scalar values only, so a template reads
 * `{{ trigger.json.title }}` without nesting — and names its event.
 */
export const homeAssistantPayload = z
  .record(z.string().regex(/^[a-z0-9_]+$/), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .refine(
    (b) => typeof b.event_type === 'string' && typeof b.event_id === 'string',
    'event_type and event_id',
  );
