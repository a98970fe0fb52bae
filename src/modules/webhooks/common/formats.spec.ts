import { WEBHOOK_EVENT_TYPES, exampleData, type WebhookEventType } from './event-catalogue';
import { MAX_BODY_BYTES, render, WEBHOOK_FORMATS, type OutgoingEvent } from './formats';

const event = (type: WebhookEventType, data: Record<string, unknown>): OutgoingEvent => ({
  id: 'msg_A000001',
  type,
  occurredAt: new Date('2026-12-02T09:30:00Z'),
  organizationId: 'A000002',
  data,
});

describe('webhook formats', () => {
  it('renders every event type in every format as JSON within 20 kB', () => {
    for (const type of WEBHOOK_EVENT_TYPES)
      for (const format of WEBHOOK_FORMATS) {
        const { body } = render(format, event(type, exampleData(type)), 'sv', 'https://x/y');
        expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
        expect(() => JSON.parse(body) as unknown).not.toThrow();
      }
  });

  it('sends the Standard Webhooks payload {type, timestamp, data} as JSON', () => {
    const body = JSON.parse(render('json', event('bill.created', { id: 'A000123' }), 'en', 'l').body);
    expect(body).toEqual({
      type: 'bill.created',
      timestamp: '2026-12-02T09:30:00.000Z',
      data: { organizationId: 'A000002', id: 'A000123' },
    });
  });

  it('trims data over 20 kB to its scalar fields with a link', () => {
    const big = {
      id: 'A000123',
      note: 'x'.repeat(800),
      changes: { before: {}, after: { notes: 'y'.repeat(30_000) } },
    };
    const { body, truncated } = render(
      'json',
      event('bill.updated', big),
      'en',
      'https://app/api/v1/webhooks/messages/A1',
    );
    expect(truncated).toBe(true);
    const parsed = JSON.parse(body);
    expect(parsed.data).toMatchObject({
      id: 'A000123',
      truncated: true,
      href: 'https://app/api/v1/webhooks/messages/A1',
    });
    expect(parsed.data.changes).toBeUndefined();
    expect(parsed.data.note).toHaveLength(500);
  });

  it('keeps Discord embeds within their limits even for huge data', () => {
    const after = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`field${i}`, 'z'.repeat(3_000)]));
    const body = JSON.parse(
      render('discord', event('contract.updated', { id: 'A1', changes: { before: {}, after } }), 'sv', 'l')
        .body,
    );
    const embed = body.embeds[0];
    expect(embed.title).toBe('Avtal ändrat');
    expect(embed.fields.length).toBeLessThanOrEqual(25);
    const total =
      embed.title.length +
      embed.description.length +
      embed.footer.text.length +
      embed.fields.reduce(
        (n: number, f: { name: string; value: string }) => n + f.name.length + f.value.length,
        0,
      );
    expect(total).toBeLessThanOrEqual(6000);
    for (const f of embed.fields) expect(f.value.length).toBeLessThanOrEqual(1024);
  });

  it('writes Slack blocks with escaped mrkdwn and a fallback text', () => {
    const body = JSON.parse(
      render('slack', event('supplier.created', { id: 'A1', name: 'A&B <Bolaget>' }), 'en', 'l').body,
    );
    expect(body.text).toBe('Supplier created: A&B <Bolaget>');
    expect(body.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Supplier created', emoji: true },
    });
    expect(body.blocks[1].text.text).toBe('A&amp;B &lt;Bolaget&gt;');
  });

  it('flattens data for Home Assistant', () => {
    const body = JSON.parse(
      render(
        'home_assistant',
        event('warranty.expiring', {
          sourceId: 'A9',
          dueDate: '2027-01-01',
          title: { sv: 'Garanti', en: 'Warranty' },
          amount: 100,
        }),
        'en',
        'l',
      ).body,
    );
    expect(body).toMatchObject({
      event_type: 'warranty.expiring',
      event_id: 'msg_A000001',
      title: 'Warranty expiring',
      summary: 'Warranty',
      source_id: 'A9',
      due_date: '2027-01-01',
      title_sv: 'Garanti',
      amount: 100,
    });
    for (const value of Object.values(body))
      expect(['string', 'number', 'boolean'].includes(typeof value) || value === null).toBe(true);
  });
});
