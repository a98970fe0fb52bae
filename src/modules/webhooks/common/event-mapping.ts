import type { DueReminder } from '../../reminders/reminders.contract';
import { RECORD_EVENT_TYPES, type RecordEventType, type WebhookEventType } from './event-catalogue';

/** The fields of an audit entry the mapping reads (structurally an `AuditEntry`). */
export interface AuditedChange {
  _id: string;
  seq: number;
  organizationId: string | null;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  changes: { before: Record<string, unknown>; after: Record<string, unknown> } | null;
  metadata: Record<string, unknown> | null;
}

/** An event to put in the outbox: its type, data, idempotency key and order key (null: unordered). */
export interface PlannedEvent {
  type: WebhookEventType;
  key: string;
  data: Record<string, unknown>;
  orderKey: string | null;
  seq: number;
}

/** Audit actions that are a record's creation; the record type is the entry's `targetType`. */
const CREATED = new Set([
  'transaction.created',
  'bill.created',
  'contract.created',
  'car.created',
  'car_event.created',
  'warranty.created',
  'insurance.created',
  'maintenance_task.created',
  'upload.created',
  'category.created',
  'supplier.created',
  'bank.account_created',
]);

/** Audit actions that change a record (its `*.updated` event, `data.action` says which). */
const UPDATED = new Set([
  'transaction.updated',
  'transaction.bank_linked',
  'bill.updated',
  'bill.paid',
  'bill.reopened',
  'contract.updated',
  'contract.price_changed',
  'contract.cancelled',
  'contract.reactivated',
  'contract.payment_recorded',
  'car.updated',
  'car_event.updated',
  'warranty.updated',
  'insurance.updated',
  'maintenance_task.updated',
  'maintenance_task.completed',
  'category.updated',
  'supplier.updated',
  'bank.account_updated',
]);

const BILLING = new Set([
  'billing.pro_started',
  'billing.payment_received',
  'billing.past_due',
  'billing.grace_expired',
  'billing.trial_started',
  'billing.trial_expired',
  'billing.downgraded',
]);

const isRecordType = (type: string | null): type is RecordEventType =>
  type !== null && Object.prototype.hasOwnProperty.call(RECORD_EVENT_TYPES, type);

/**
 * The webhook events an audit entry means; none for the many it does not (cheap: a few set lookups). Deletes and
 * restores come from the trash's `record.deleted`/`record.restored` (every deletable type has them; the modules'
 * own `*.deleted` entries describe the same delete and are skipped, so a delete is one event).
 */
export function eventsForAudit(entry: AuditedChange): PlannedEvent[] {
  const { action, targetType, targetId } = entry;
  const key = (suffix = '') => `audit-${entry._id}${suffix}`;
  const base = { actorId: entry.actorId, auditEntryId: entry._id };
  const record = (verb: string): PlannedEvent | null =>
    isRecordType(targetType) && targetId
      ? {
          type: `${targetType}.${verb}` as WebhookEventType,
          key: key(),
          orderKey: `${targetType}:${targetId}`,
          seq: entry.seq,
          data: {
            id: targetId,
            recordType: targetType,
            action,
            changes: entry.changes,
            metadata: entry.metadata,
            ...base,
          },
        }
      : null;

  if (CREATED.has(action)) {
    const created = record('created');
    if (!created) return [];
    const mimeType = entry.metadata?.mimeType;
    if (action !== 'upload.created' || typeof mimeType !== 'string' || !mimeType.startsWith('image/'))
      return [created];
    const image: PlannedEvent = {
      type: 'image.uploaded',
      key: key('-image'),
      orderKey: null,
      seq: entry.seq,
      data: { id: targetId, ...entry.metadata, ...base },
    };
    return [created, image];
  }
  if (UPDATED.has(action)) return [record('updated')].filter((e): e is PlannedEvent => e !== null);
  if (action === 'record.deleted') return [record('deleted')].filter((e): e is PlannedEvent => e !== null);
  if (action === 'record.restored') return [record('restored')].filter((e): e is PlannedEvent => e !== null);
  if (action === 'transaction.bulk_created')
    return [
      {
        type: 'transaction.bulk_created',
        key: key(),
        orderKey: null,
        seq: entry.seq,
        data: { ...entry.metadata, ...base },
      },
    ];
  if (action === 'bank.line_approved' || action === 'bank.line_auto_booked')
    return [
      {
        type: 'bank_line.matched',
        key: key(),
        orderKey: null,
        seq: entry.seq,
        data: {
          lineId: targetId,
          matchId: entry.metadata?.matchId ?? null,
          automatic: action === 'bank.line_auto_booked',
          candidate: entry.metadata?.candidate ?? null,
          created: entry.metadata?.created ?? null,
          voucherId: entry.metadata?.voucherId ?? null,
          ...base,
        },
      },
    ];
  if (action === 'bank.import_completed' || action === 'bank.import_failed')
    return [
      {
        type: 'import.finished',
        key: key(),
        orderKey: null,
        seq: entry.seq,
        data: {
          kind: 'bank_statement',
          importId: targetId,
          status: action === 'bank.import_completed' ? 'completed' : 'failed',
          counts: action === 'bank.import_completed' ? (entry.metadata ?? null) : null,
          error: action === 'bank.import_failed' ? (entry.metadata?.error ?? null) : null,
          ...base,
        },
      },
    ];
  if (BILLING.has(action))
    return [
      {
        type: 'billing.changed',
        key: key(),
        orderKey: null,
        seq: entry.seq,
        data: { change: action.slice('billing.'.length), action, metadata: entry.metadata, ...base },
      },
    ];
  return [];
}

/** Reminder kinds with an event type of their own, sent besides `reminder.due`. */
const SPECIFIC: Partial<Record<string, WebhookEventType>> = {
  'contract.cancel': 'contract.ending_soon',
  'contract.renewal': 'contract.ending_soon',
  'warranty.expiry': 'warranty.expiring',
};

/**
 * Every reminder that became due is a `reminder.due`; a contract's last day to cancel or renewal is also a
 * `contract.ending_soon` and a warranty's end a `warranty.expiring`. Keyed by reminder id (and lead, as the run
 * stores one reminder per lead), so a rerun of the day sends nothing twice.
 */
export function eventsForReminder(reminder: DueReminder, seq: number): PlannedEvent[] {
  const data = {
    reminderId: reminder.id,
    kind: reminder.kind,
    sourceType: reminder.sourceType,
    sourceId: reminder.sourceId,
    remindOn: reminder.remindOn,
    dueDate: reminder.dueDate,
    dueOdometer: reminder.dueOdometer,
    lead: reminder.lead,
    title: reminder.title,
    amount: reminder.amount,
    currency: reminder.currency,
  };
  const key = `reminder-${reminder.id}-${reminder.lead}`;
  const events: PlannedEvent[] = [{ type: 'reminder.due', key, data, orderKey: null, seq }];
  const specific = SPECIFIC[reminder.kind];
  if (specific) events.push({ type: specific, key: `${key}-${specific}`, data, orderKey: null, seq });
  return events;
}
