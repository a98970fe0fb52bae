import type { ReminderKind } from '../../reminders/reminders.contract';
import type { NotificationChannel, NotificationKind } from '../notifications.contract';

/** What each kind offers: its channels, whether lead days apply (reminder-fed kinds) and whether a digest does. */
export interface KindRule {
  channels: readonly NotificationChannel[];
  /** Fed by reminders with a due date: `leadDays` may hold a notification until N days before it. */
  leadDays: boolean;
  /** Email may wait for the daily digest instead of going out at once. */
  digest: boolean;
}

const ALL: readonly NotificationChannel[] = ['email', 'in_app', 'webhook'];
const REMINDER_RULE: KindRule = { channels: ALL, leadDays: true, digest: true };

export const KIND_RULES: Record<NotificationKind, KindRule> = {
  bill_due: REMINDER_RULE,
  cancel_deadline: REMINDER_RULE,
  renewal: REMINDER_RULE,
  warranty: REMINDER_RULE,
  service: REMINDER_RULE,
  maintenance: REMINDER_RULE,
  // The owners get the billing module's own mails about every transition: no second mail from here.
  billing: { channels: ['in_app', 'webhook'], leadDays: false, digest: false },
  bank_review: { channels: ALL, leadDays: false, digest: true },
  import: { channels: ALL, leadDays: false, digest: true },
  // AI anomaly detection (medium and high severity): told at once, mail may wait for the digest.
  anomaly: { channels: ALL, leadDays: false, digest: true },
  // A mail by nature: one a week, nothing to hold or digest.
  weekly_summary: { channels: ['email'], leadDays: false, digest: false },
};

/** Which notification kind tells about each reminder kind (several reminder kinds share one setting). */
export const KIND_OF_REMINDER: Record<ReminderKind, NotificationKind> = {
  'bill.due': 'bill_due',
  'contract.cancel': 'cancel_deadline',
  'contract.renewal': 'renewal',
  'contract.price': 'renewal',
  'insurance.renewal': 'renewal',
  'warranty.expiry': 'warranty',
  'car.service': 'service',
  'car.inspection': 'service',
  'car.tax': 'service',
  'car.insurance': 'service',
  'maintenance.task': 'maintenance',
};

/** The kind's name in texts people read. */
export const KIND_LABELS: Record<NotificationKind, { sv: string; en: string }> = {
  bill_due: { sv: 'Räkningar att betala', en: 'Bills due' },
  cancel_deadline: { sv: 'Sista dag att säga upp', en: 'Last day to cancel' },
  renewal: { sv: 'Förnyelser och prisändringar', en: 'Renewals and price changes' },
  warranty: { sv: 'Garantier som går ut', en: 'Warranties expiring' },
  service: {
    sv: 'Bilen: service, besiktning, skatt, försäkring',
    en: 'Car: service, inspection, tax, insurance',
  },
  maintenance: { sv: 'Underhåll i hemmet', en: 'Home maintenance' },
  billing: { sv: 'Abonnemang och betalning', en: 'Subscription and billing' },
  bank_review: { sv: 'Bankrader att granska', en: 'Bank lines to review' },
  import: { sv: 'Importer', en: 'Imports' },
  weekly_summary: { sv: 'Veckosammanfattning', en: 'Weekly summary' },
  anomaly: { sv: 'Ovanliga dragningar och avvikelser', en: 'Unusual charges and anomalies' },
};
