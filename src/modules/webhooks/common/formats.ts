import { titleOf, type WebhookEventType } from './event-catalogue';

/**
 * What a delivery's body looks like for each endpoint format (docs/webhooks.md#formats). Every format carries the
 * Standard Webhooks headers; the body differs:
 * - `json`: `{type, timestamp, data}` (the Standard Webhooks payload), at most `MAX_BODY_BYTES` — larger data is
 *   trimmed to its top-level scalar fields with `truncated: true` and a link to the record's audit history;
 * - `discord`: one embed within Discord's limits (title 256, description 4096, 25 fields of 256/1024, footer 2048,
 *   6000 characters in all);
 * - `slack`: Block Kit (`header` ≤ 150, `section` text ≤ 3000 and ≤ 10 fields of ≤ 2000, `context`) with a `text`
 *   fallback;
 * - `home_assistant`: one flat JSON object of scalars (`event_type`, `title`, `record_id`, …) that an automation's
 *   `trigger.json` templates read directly.
 */
export const WEBHOOK_FORMATS = ['json', 'discord', 'slack', 'home_assistant'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export type Language = 'sv' | 'en';

export const MAX_BODY_BYTES = 20 * 1024;

export interface OutgoingEvent {
  /** The message id (`webhook-id`). */
  id: string;
  type: WebhookEventType;
  occurredAt: Date;
  organizationId: string;
  data: Record<string, unknown>;
}

const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

const bytes = (body: string): number => Buffer.byteLength(body, 'utf8');

/** Scalar fields of an object, one level of nesting joined with `_` (`changes.after.amount` → `after_amount`). */
function flatten(data: Record<string, unknown>, prefix = '', depth = 0, out: Record<string, unknown> = {}) {
  for (const [key, value] of Object.entries(data)) {
    const name = prefix ? `${prefix}_${key}` : key;
    if (isScalar(value)) out[name] = value;
    else if (Array.isArray(value)) out[name] = value.filter(isScalar).join(',');
    else if (typeof value === 'object' && depth < 2 && key !== 'metadata')
      flatten(value as Record<string, unknown>, key === 'changes' ? '' : name, depth + 1, out);
  }
  return out;
}

/** A reader's one-line summary of the data: record, title or change. */
function summary(event: OutgoingEvent, language: Language): string {
  const d = event.data;
  const title = d.title as { sv?: string; en?: string } | undefined;
  if (title && typeof title === 'object' && title[language]) return String(title[language]);
  const label = (d.metadata as { label?: unknown } | null | undefined)?.label;
  if (typeof label === 'string') return label;
  if (typeof d.name === 'string') return d.name;
  if (typeof d.message === 'string') return d.message;
  return '';
}

/** Name/value pairs people read: the record id, and each changed field as `before → after`. */
function facts(event: OutgoingEvent, language: Language): { name: string; value: string }[] {
  const d = event.data;
  const out: { name: string; value: string }[] = [];
  const id = d.id ?? d.sourceId ?? d.lineId ?? d.importId;
  if (typeof id === 'string') out.push({ name: language === 'sv' ? 'Post' : 'Record', value: id });
  if (typeof d.dueDate === 'string')
    out.push({ name: language === 'sv' ? 'Förfaller' : 'Due', value: d.dueDate });
  const changes = d.changes as { before?: Record<string, unknown>; after?: Record<string, unknown> } | null;
  if (changes?.after)
    for (const [field, after] of Object.entries(changes.after)) {
      const before = changes.before?.[field];
      const text = (v: unknown) => (v === undefined ? '–' : isScalar(v) ? String(v) : JSON.stringify(v));
      out.push({
        name: field,
        value: before === undefined ? text(after) : `${text(before)} → ${text(after)}`,
      });
    }
  for (const key of ['status', 'kind', 'change'] as const)
    if (typeof d[key] === 'string') out.push({ name: key, value: d[key] });
  return out;
}

/** The Standard Webhooks JSON body, trimmed to `MAX_BODY_BYTES` when the data is larger. */
export function jsonBody(event: OutgoingEvent, link: string): { body: string; truncated: boolean } {
  const full = JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: { organizationId: event.organizationId, ...event.data },
  });
  if (bytes(full) <= MAX_BODY_BYTES) return { body: full, truncated: false };
  const scalars: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.data))
    if (isScalar(value)) scalars[key] = typeof value === 'string' ? clip(value, 500) : value;
  const trimmed = JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: { organizationId: event.organizationId, ...scalars, truncated: true, href: link },
  });
  if (bytes(trimmed) <= MAX_BODY_BYTES) return { body: trimmed, truncated: true };
  return {
    body: JSON.stringify({
      type: event.type,
      timestamp: event.occurredAt.toISOString(),
      data: { organizationId: event.organizationId, truncated: true, href: link },
    }),
    truncated: true,
  };
}

const COLORS: Record<string, number> = { created: 0x2e7d32, updated: 0x1565c0, deleted: 0xc62828 };

function discordBody(event: OutgoingEvent, language: Language): string {
  const title = clip(titleOf(event.type, language), 256);
  const description = clip(summary(event, language) || event.type, 4096);
  const footer = clip(`WestWallet · ${event.type} · ${event.id}`, 2048);
  let budget = 6000 - title.length - description.length - footer.length;
  const fields: { name: string; value: string; inline: boolean }[] = [];
  for (const fact of facts(event, language).slice(0, 25)) {
    const name = clip(fact.name, 256) || '–';
    const value = clip(fact.value, 1024) || '–';
    if (name.length + value.length > budget) break;
    budget -= name.length + value.length;
    fields.push({ name, value, inline: value.length <= 40 });
  }
  const verb = event.type.split('.')[1];
  return JSON.stringify({
    username: 'WestWallet',
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title,
        description,
        color: COLORS[verb] ?? 0x546e7a,
        timestamp: event.occurredAt.toISOString(),
        footer: { text: footer },
        fields,
      },
    ],
  });
}

/** Slack mrkdwn treats `&`, `<` and `>` as control characters. */
const mrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slackBody(event: OutgoingEvent, language: Language): string {
  const title = titleOf(event.type, language);
  const text = summary(event, language);
  const fields = facts(event, language)
    .slice(0, 10)
    .map((f) => ({ type: 'mrkdwn', text: clip(`*${mrkdwn(f.name)}*\n${mrkdwn(f.value)}`, 2000) }));
  const section: Record<string, unknown> = {
    type: 'section',
    text: { type: 'mrkdwn', text: clip(mrkdwn(text || title), 3000) },
  };
  if (fields.length) section.fields = fields;
  return JSON.stringify({
    text: clip(text ? `${title}: ${text}` : title, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
      section,
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: clip(`\`${event.type}\` · ${event.occurredAt.toISOString()}`, 3000) },
        ],
      },
    ],
  });
}

function homeAssistantBody(event: OutgoingEvent, language: Language, maxKeys = 100, maxText = 1000): string {
  const flat = flatten(event.data);
  const out: Record<string, unknown> = {
    event_type: event.type,
    event_id: event.id,
    timestamp: event.occurredAt.toISOString(),
    organization_id: event.organizationId,
    title: titleOf(event.type, language),
    summary: summary(event, language),
  };
  for (const [key, value] of Object.entries(flat).slice(0, maxKeys)) {
    const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (!(name in out)) out[name] = typeof value === 'string' ? clip(value, maxText) : value;
  }
  return JSON.stringify(out);
}

/** The body a delivery sends to an endpoint of this format. */
export function render(
  format: WebhookFormat,
  event: OutgoingEvent,
  language: Language,
  link: string,
): { body: string; truncated: boolean } {
  switch (format) {
    case 'discord':
      return { body: discordBody(event, language), truncated: false };
    case 'slack':
      return { body: slackBody(event, language), truncated: false };
    case 'home_assistant': {
      // At most 100 keys of 1 000 characters; when that is over 20 kB, 60 keys of 100 characters (≈ 10 kB).
      const body = homeAssistantBody(event, language);
      return bytes(body) <= MAX_BODY_BYTES
        ? { body, truncated: false }
        : { body: homeAssistantBody(event, language, 60, 100), truncated: true };
    }
    case 'json':
      return jsonBody(event, link);
  }
}
