/**
 * Every webhook event type, with its titles (Swedish and English) and an example payload (`GET /webhooks/events`).
 * The values are stored on endpoints and deliveries and sent to receivers: never rename one, add a new one.
 */

/** Record types whose created/updated/deleted/restored changes are events (the registered record type names). */
export const RECORD_EVENT_TYPES = {
  transaction: { sv: 'Transaktion', en: 'Transaction' },
  bill: { sv: 'Räkning', en: 'Bill' },
  contract: { sv: 'Avtal', en: 'Contract', neuter: true },
  contract_payment: { sv: 'Avtalsbetalning', en: 'Contract payment' },
  car: { sv: 'Bil', en: 'Car' },
  car_event: { sv: 'Bilhändelse', en: 'Car event' },
  warranty: { sv: 'Garanti', en: 'Warranty' },
  insurance_policy: { sv: 'Försäkring', en: 'Insurance' },
  maintenance_task: { sv: 'Underhållsuppgift', en: 'Maintenance task' },
  upload: { sv: 'Fil', en: 'Upload' },
  category: { sv: 'Kategori', en: 'Category' },
  supplier: { sv: 'Leverantör', en: 'Supplier' },
  bank_account: { sv: 'Bankkonto', en: 'Bank account', neuter: true },
} as const;
export type RecordEventType = keyof typeof RECORD_EVENT_TYPES;

/** `svNeuter`: the participle after an ett-word ("Avtal ändrat", "Transaktion ändrad"). */
export const RECORD_VERBS = {
  created: { sv: 'skapad', svNeuter: 'skapat', en: 'created' },
  updated: { sv: 'ändrad', svNeuter: 'ändrat', en: 'updated' },
  deleted: { sv: 'borttagen', svNeuter: 'borttaget', en: 'deleted' },
  restored: { sv: 'återställd', svNeuter: 'återställt', en: 'restored' },
} as const;
export type RecordVerb = keyof typeof RECORD_VERBS;

type Text = { sv: string; en: string };

/** The event types that are not a record's change. */
export const OTHER_EVENT_TYPES = {
  'transaction.bulk_created': { sv: 'Transaktioner skapade', en: 'Transactions created' },
  'contract.ending_soon': { sv: 'Avtal löper snart ut', en: 'Contract ending soon' },
  'warranty.expiring': { sv: 'Garanti går snart ut', en: 'Warranty expiring' },
  'reminder.due': { sv: 'Påminnelse', en: 'Reminder due' },
  'image.uploaded': { sv: 'Bild uppladdad', en: 'Image uploaded' },
  'bank_line.matched': { sv: 'Bankrad matchad', en: 'Bank line matched' },
  'import.finished': { sv: 'Import klar', en: 'Import finished' },
  'billing.changed': { sv: 'Abonnemanget ändrat', en: 'Billing changed' },
  'notification.created': { sv: 'Ny avisering', en: 'New notification' },
  'webhook.test': { sv: 'Testmeddelande', en: 'Test message' },
} as const satisfies Record<string, Text>;

export type WebhookEventType = `${RecordEventType}.${RecordVerb}` | keyof typeof OTHER_EVENT_TYPES;

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  ...(Object.keys(RECORD_EVENT_TYPES) as RecordEventType[]).flatMap((record) =>
    (Object.keys(RECORD_VERBS) as RecordVerb[]).map((verb) => `${record}.${verb}` as WebhookEventType),
  ),
  ...(Object.keys(OTHER_EVENT_TYPES) as (keyof typeof OTHER_EVENT_TYPES)[]),
];

const KNOWN = new Set<string>(WEBHOOK_EVENT_TYPES);
export const isWebhookEventType = (value: string): value is WebhookEventType => KNOWN.has(value);

/**
 * Event types whose deliveries keep their order per endpoint: a record's created → updated → deleted must not
 * arrive the other way round, so deliveries with the same order key (the record) go out one after the other.
 * Everything else (reminders, billing, imports, tests) is independent and goes out in parallel.
 */
export const isOrdered = (type: WebhookEventType): boolean => {
  const [record, verb] = type.split('.');
  return record in RECORD_EVENT_TYPES && verb in RECORD_VERBS;
};

/** The title people read (Discord, Slack, Home Assistant), in the endpoint's language. */
export function titleOf(type: WebhookEventType, language: 'sv' | 'en'): string {
  if (type in OTHER_EVENT_TYPES) return OTHER_EVENT_TYPES[type as keyof typeof OTHER_EVENT_TYPES][language];
  const [record, verb] = type.split('.') as [RecordEventType, RecordVerb];
  const noun: { sv: string; en: string; neuter?: boolean } = RECORD_EVENT_TYPES[record];
  const participle =
    language === 'sv' && noun.neuter ? RECORD_VERBS[verb].svNeuter : RECORD_VERBS[verb][language];
  return `${noun[language]} ${participle}`;
}

/** What every record event's `data` holds (from its audit entry, secrets stripped there). */
export interface RecordEventData {
  id: string;
  recordType: RecordEventType;
  /** The audit action behind it (`bill.paid`, `contract.price_changed`, `record.deleted`, …). */
  action: string;
  actorId: string | null;
  /** Changed fields only (`before` / `after`), null when the change lists none (deletes, restores). */
  changes: { before: Record<string, unknown>; after: Record<string, unknown> } | null;
  metadata: Record<string, unknown> | null;
  auditEntryId: string;
}

const recordExample = (record: RecordEventType, verb: RecordVerb): RecordEventData => ({
  id: 'A000123',
  recordType: record,
  action:
    verb === 'deleted' ? 'record.deleted' : verb === 'restored' ? 'record.restored' : `${record}.${verb}`,
  actorId: 'A000007',
  changes:
    verb === 'created'
      ? { before: {}, after: { name: 'Bahnhof Fiber', amount: 39_900 } }
      : verb === 'updated'
        ? { before: { amount: 39_900 }, after: { amount: 44_900 } }
        : null,
  metadata: verb === 'deleted' ? { label: 'Bahnhof Fiber', cascaded: [] } : null,
  auditEntryId: 'A000456',
});

const reminderExample = (kind: string, sourceType: string, title: Text) => ({
  reminderId: 'A000321',
  kind,
  sourceType,
  sourceId: 'A000123',
  remindOn: '2026-12-02',
  dueDate: '2027-01-01',
  dueOdometer: null,
  lead: 'd30',
  title,
  amount: 39_900,
  currency: 'SEK',
});

const OTHER_EXAMPLES: Record<keyof typeof OTHER_EVENT_TYPES, Record<string, unknown>> = {
  'transaction.bulk_created': {
    count: 120,
    firstId: 'A001000',
    lastId: 'A001119',
    actorId: 'A000007',
    auditEntryId: 'A000456',
  },
  'contract.ending_soon': reminderExample('contract.cancel', 'contract', {
    sv: 'Sista dag att säga upp Bahnhof Fiber',
    en: 'Last day to cancel Bahnhof Fiber',
  }),
  'warranty.expiring': reminderExample('warranty.expiry', 'warranty', {
    sv: 'Garantin för Diskmaskin Bosch går ut',
    en: 'The warranty for Diskmaskin Bosch ends',
  }),
  'reminder.due': reminderExample('bill.due', 'bill', {
    sv: 'Räkningen från Vattenfall förfaller',
    en: 'The bill from Vattenfall is due',
  }),
  'image.uploaded': {
    id: 'A000222',
    name: 'kvitto.jpg',
    mimeType: 'image/jpeg',
    size: 183_204,
    recordType: 'transaction',
    recordId: 'A000123',
    actorId: 'A000007',
    auditEntryId: 'A000456',
  },
  'bank_line.matched': {
    lineId: 'A000555',
    matchId: 'A000556',
    automatic: false,
    candidate: { type: 'bill', id: 'A000123' },
    created: false,
    voucherId: 'A000557',
    actorId: 'A000007',
    auditEntryId: 'A000456',
  },
  'import.finished': {
    kind: 'bank_statement',
    importId: 'A000600',
    status: 'completed',
    counts: { lines: 42 },
    error: null,
  },
  'billing.changed': {
    change: 'past_due',
    action: 'billing.past_due',
    metadata: { graceUntil: '2026-12-16' },
    auditEntryId: 'A000456',
  },
  'notification.created': {
    notificationId: 'A000700',
    userId: 'A000007',
    kind: 'bill_due',
    title: {
      sv: 'Räkningen från Vattenfall förfaller 2026-12-05',
      en: 'The bill from Vattenfall is due 2026-12-05',
    },
    body: { sv: '1 234,00 kr', en: 'SEK 1,234.00' },
    createdAt: '2026-12-02T07:00:00.000Z',
  },
  'webhook.test': { message: 'Test from WestWallet', endpointId: 'A000900' },
};

/** The example `data` of an event type (the catalogue's example payloads). */
export function exampleData(type: WebhookEventType): Record<string, unknown> {
  if (type in OTHER_EXAMPLES) return OTHER_EXAMPLES[type as keyof typeof OTHER_EXAMPLES];
  const [record, verb] = type.split('.') as [RecordEventType, RecordVerb];
  return recordExample(record, verb) as unknown as Record<string, unknown>;
}

/** What `GET /webhooks/events` lists. */
export interface EventTypeView {
  type: WebhookEventType;
  title: Text;
  ordered: boolean;
  example: { type: WebhookEventType; timestamp: string; data: Record<string, unknown> };
}

export function catalogue(): EventTypeView[] {
  return WEBHOOK_EVENT_TYPES.map((type) => ({
    type,
    title: { sv: titleOf(type, 'sv'), en: titleOf(type, 'en') },
    ordered: isOrdered(type),
    example: { type, timestamp: '2026-12-02T09:30:00.000Z', data: exampleData(type) },
  }));
}
