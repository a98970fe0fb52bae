import { eventsForAudit, eventsForReminder, type AuditedChange } from './event-mapping';
import { WEBHOOK_EVENT_TYPES, isOrdered } from './event-catalogue';

const entry = (
  action: string,
  targetType: string | null,
  extra: Partial<AuditedChange> = {},
): AuditedChange => ({
  _id: 'A000500',
  seq: 7,
  organizationId: 'A000002',
  actorId: 'A000003',
  action,
  targetType,
  targetId: 'A000123',
  changes: null,
  metadata: null,
  ...extra,
});

describe('webhook events from audit entries and reminders', () => {
  it('maps record changes to <type>.<verb>, keyed by the audit entry and ordered by record', () => {
    const [created] = eventsForAudit(
      entry('bill.created', 'bill', { changes: { before: {}, after: { amount: 1 } } }),
    );
    expect(created).toMatchObject({
      type: 'bill.created',
      key: 'audit-A000500',
      orderKey: 'bill:A000123',
      seq: 7,
    });
    expect(eventsForAudit(entry('bill.paid', 'bill'))[0]).toMatchObject({
      type: 'bill.updated',
      data: { action: 'bill.paid' },
    });
    expect(eventsForAudit(entry('insurance.created', 'insurance_policy'))[0].type).toBe(
      'insurance_policy.created',
    );
    expect(eventsForAudit(entry('record.deleted', 'car_event'))[0].type).toBe('car_event.deleted');
    expect(eventsForAudit(entry('record.restored', 'warranty'))[0].type).toBe('warranty.restored');
    expect(eventsForAudit(entry('bank.account_created', 'bank_account'))[0].type).toBe(
      'bank_account.created',
    );
  });

  it('skips what is not an event: module deletes (the trash writes record.deleted), members, unknown types', () => {
    expect(eventsForAudit(entry('bill.deleted', 'bill'))).toEqual([]);
    expect(eventsForAudit(entry('member.removed', 'member'))).toEqual([]);
    expect(eventsForAudit(entry('record.deleted', 'webhook_endpoint'))).toEqual([]);
    expect(eventsForAudit(entry('webhook_endpoint.created', 'webhook_endpoint'))).toEqual([]);
  });

  it('adds image.uploaded for image uploads', () => {
    const events = eventsForAudit(
      entry('upload.created', 'upload', { metadata: { mimeType: 'image/png', name: 'a.png' } }),
    );
    expect(events.map((e) => e.type)).toEqual(['upload.created', 'image.uploaded']);
    expect(new Set(events.map((e) => e.key)).size).toBe(2);
    expect(
      eventsForAudit(entry('upload.created', 'upload', { metadata: { mimeType: 'application/pdf' } })),
    ).toHaveLength(1);
  });

  it('maps bank matches, imports and billing changes', () => {
    expect(eventsForAudit(entry('bank.line_auto_booked', 'bank_line'))[0]).toMatchObject({
      type: 'bank_line.matched',
      data: { automatic: true, lineId: 'A000123' },
    });
    expect(
      eventsForAudit(entry('bank.import_failed', 'bank_import', { metadata: { error: 'bad' } }))[0],
    ).toMatchObject({
      type: 'import.finished',
      data: { status: 'failed', error: 'bad' },
    });
    expect(eventsForAudit(entry('billing.past_due', null))[0]).toMatchObject({
      type: 'billing.changed',
      data: { change: 'past_due' },
    });
  });

  it('makes reminder.due of every reminder and the specific event where one exists', () => {
    const reminder = {
      id: 'A000777',
      kind: 'warranty.expiry' as const,
      sourceType: 'warranty',
      sourceId: 'A000123',
      remindOn: '2026-12-02',
      dueDate: '2027-01-01',
      dueOdometer: null,
      lead: 'd30',
      title: { sv: 'Garantin går ut', en: 'The warranty ends' },
      amount: null,
      currency: null,
    };
    expect(eventsForReminder(reminder, 1).map((e) => [e.type, e.key])).toEqual([
      ['reminder.due', 'reminder-A000777-d30'],
      ['warranty.expiring', 'reminder-A000777-d30-warranty.expiring'],
    ]);
    expect(eventsForReminder({ ...reminder, kind: 'bill.due' }, 1).map((e) => e.type)).toEqual([
      'reminder.due',
    ]);
  });

  it('catalogues every mapped type; only record changes are ordered', () => {
    expect(WEBHOOK_EVENT_TYPES).toContain('contract.ending_soon');
    expect(isOrdered('transaction.updated')).toBe(true);
    expect(isOrdered('reminder.due')).toBe(false);
    expect(new Set(WEBHOOK_EVENT_TYPES).size).toBe(WEBHOOK_EVENT_TYPES.length);
  });
});
