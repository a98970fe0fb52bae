/** Every queue. Each job name below belongs to exactly one. */
export enum QueueName {
  Mail = 'mail',
  Bank = 'bank',
  Uploads = 'uploads',
  Trash = 'trash',
  Billing = 'billing',
  Reminders = 'reminders',
  Webhooks = 'webhooks',
  Notifications = 'notifications',
  Reports = 'reports',
  AiAnomalies = 'ai-anomalies',
  AiCategorization = 'ai-categorization',
  Portability = 'portability',
}

/** Every job, as `<queue>.<action>`. Each has a typed payload (JobPayloads) and exactly one handler. */
export enum JobName {
  SendMail = 'mail.send',
  BankImport = 'bank.import',
  BankMatch = 'bank.match',
  BillingDailyTransitions = 'billing.daily-transitions',
  ProcessUpload = 'uploads.process',
  PurgeTrash = 'trash.purge_due',
  RemindersDaily = 'reminders.daily',
  RemindersRun = 'reminders.run',
  WebhooksDeliver = 'webhooks.deliver',
  NotificationsEvent = 'notifications.event',
  NotificationsDeliver = 'notifications.deliver',
  NotificationsDaily = 'notifications.daily',
  MassMailPrepare = 'notifications.mass_mail_prepare',
  MassMailSend = 'notifications.mass_mail_send',
  ReportsGenerate = 'reports.generate',
  ReportsCleanupScan = 'reports.cleanup_scan',
  ReportsExpire = 'reports.expire',
  ReportsMonthlyScan = 'reports.monthly_scan',
  ReportsMonthlyMail = 'reports.monthly_mail',
  AiAnomaliesScan = 'ai-anomalies.scan',
  AiCategorize = 'ai-categorization.categorize',
  PortabilityExport = 'portability.export',
  PortabilityImport = 'portability.import',
  PortabilityCleanupScan = 'portability.cleanup_scan',
  PortabilityExpire = 'portability.expire',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SendMail]: QueueName.Mail,
  [JobName.BankImport]: QueueName.Bank,
  [JobName.BankMatch]: QueueName.Bank,
  [JobName.BillingDailyTransitions]: QueueName.Billing,
  [JobName.ProcessUpload]: QueueName.Uploads,
  [JobName.PurgeTrash]: QueueName.Trash,
  [JobName.RemindersDaily]: QueueName.Reminders,
  [JobName.RemindersRun]: QueueName.Reminders,
  [JobName.WebhooksDeliver]: QueueName.Webhooks,
  [JobName.NotificationsEvent]: QueueName.Notifications,
  [JobName.NotificationsDeliver]: QueueName.Notifications,
  [JobName.NotificationsDaily]: QueueName.Notifications,
  [JobName.MassMailPrepare]: QueueName.Notifications,
  [JobName.MassMailSend]: QueueName.Notifications,
  [JobName.ReportsGenerate]: QueueName.Reports,
  [JobName.ReportsCleanupScan]: QueueName.Reports,
  [JobName.ReportsExpire]: QueueName.Reports,
  [JobName.ReportsMonthlyScan]: QueueName.Reports,
  [JobName.ReportsMonthlyMail]: QueueName.Reports,
  [JobName.AiAnomaliesScan]: QueueName.AiAnomalies,
  [JobName.AiCategorize]: QueueName.AiCategorization,
  [JobName.PortabilityExport]: QueueName.Portability,
  [JobName.PortabilityImport]: QueueName.Portability,
  [JobName.PortabilityCleanupScan]: QueueName.Portability,
  [JobName.PortabilityExpire]: QueueName.Portability,
};

/**
 * Where each job runs (JobRegistry.dispatch): `organization` inside its payload's `organizationId` (the tenant), as
 * the system; `none` with no tenant (mail, the daily billing run and the trash purge work across organizations).
 */
export const JOB_SCOPE: Record<JobName, 'organization' | 'none'> = {
  [JobName.SendMail]: 'none',
  [JobName.BankImport]: 'organization',
  [JobName.BankMatch]: 'organization',
  [JobName.BillingDailyTransitions]: 'none',
  [JobName.ProcessUpload]: 'organization',
  [JobName.PurgeTrash]: 'none',
  [JobName.RemindersDaily]: 'none',
  [JobName.RemindersRun]: 'organization',
  [JobName.WebhooksDeliver]: 'organization',
  [JobName.NotificationsEvent]: 'organization',
  [JobName.NotificationsDeliver]: 'none',
  [JobName.NotificationsDaily]: 'none',
  [JobName.MassMailPrepare]: 'none',
  [JobName.MassMailSend]: 'none',
  [JobName.ReportsGenerate]: 'organization',
  [JobName.ReportsCleanupScan]: 'none',
  [JobName.ReportsExpire]: 'organization',
  [JobName.ReportsMonthlyScan]: 'none',
  [JobName.ReportsMonthlyMail]: 'organization',
  [JobName.AiAnomaliesScan]: 'organization',
  [JobName.AiCategorize]: 'organization',
  [JobName.PortabilityExport]: 'organization',
  [JobName.PortabilityImport]: 'organization',
  [JobName.PortabilityCleanupScan]: 'none',
  [JobName.PortabilityExpire]: 'organization',
};

/**
 * Added to every payload by the producer (JobQueue.add): the request id (or job id) of the context that queued the
 * job. The job runs with it as its own request id, so its logs and audit entries lead back to that request.
 */
export interface JobMeta {
  requestId?: string;
}

export interface JobPayloads {
  /** Parse a stored bank statement into lines, then match them (bank/imports); jobId = jobIdFor(name, importId). */
  [JobName.BankImport]: { organizationId: string; importId: string; requestedBy: string };
  /** Recompute suggestions (and automatic bookings) for the open bank lines of an organization. */
  [JobName.BankMatch]: { organizationId: string; requestedBy: string };
  /** Image processing of one upload (uploads.jobs.ts); jobId = jobIdFor(name, uploadId). */
  [JobName.ProcessUpload]: { organizationId: string; uploadId: string };
  /** Retention purge of the trash, everything due at `dueBefore` (ISO); jobId dated to the hour. */
  [JobName.PurgeTrash]: { dueBefore: string };
  /** One mail; jobId = jobIdFor(name, deliveryId), see mail.service.ts. */
  [JobName.SendMail]: {
    to: string;
    template: string;
    locale: 'sv' | 'en';
    vars: Record<string, string>;
    organizationId?: string;
    /** Random, chosen when queued: Message-ID and idempotency key. Missing only on jobs queued before it existed. */
    deliveryId?: string;
    /** Extra headers of this message (List-Unsubscribe of the notification and mass mails). */
    headers?: Record<string, string>;
  };
  /** The daily reminder scan for a Stockholm date: enqueues a RemindersRun per organization with records due. */
  [JobName.RemindersDaily]: { date: string };
  /** One organization's reminder run for a date; jobId = jobIdFor(name, `${organizationId}-${date}`). */
  /** One organization's reminders for a day: the records in `checks` when given, else every record. */
  [JobName.RemindersRun]: {
    organizationId: string;
    date: string;
    checks?: { sourceType: string; sourceId: string; rollover?: boolean }[];
    /** The `checks` records were just written (a check after a change that failed in the request). */
    changed?: boolean;
  };
  /** One audited change that notifies people (notifications/delivery); jobId = jobIdFor(name, auditEntryId). */
  [JobName.NotificationsEvent]: {
    organizationId: string;
    auditId: string;
    action: string;
    targetType: string | null;
    targetId: string | null;
    actorId: string | null;
    metadata: Record<string, unknown> | null;
  };
  /** Sends held notifications whose time has come (quiet hours over, lead reached); jobId dated to the quarter hour. */
  [JobName.NotificationsDeliver]: { at: string };
  /** The daily digest mails and, on Mondays, the weekly summary, for a Stockholm date; jobId = the date. */
  [JobName.NotificationsDaily]: { date: string };
  /** Lists an admin mass mail's recipients; jobId = jobIdFor(name, campaignId). */
  [JobName.MassMailPrepare]: { campaignId: string };
  /** Queues the next slice of a mass mail's mails, then schedules the next slice; jobId = campaign + slice. */
  [JobName.MassMailSend]: { campaignId: string; slice: number };
  /** One attempt of one webhook delivery; jobId = jobIdFor(name, `${deliveryId}-${claim}`) (webhooks/deliveries). */
  [JobName.WebhooksDeliver]: { organizationId: string; deliveryId: string; claim: string };
  /** The Stockholm calendar date (`YYYY-MM-DD`) the daily billing run is for. */
  [JobName.BillingDailyTransitions]: { date: string };
  /** Makes one report's file (reports/reports.jobs.ts); jobId = jobIdFor(name, reportId). */
  [JobName.ReportsGenerate]: { organizationId: string; reportId: string };
  /** Finds organizations with report files past their expiry; jobId dated to the hour. */
  [JobName.ReportsCleanupScan]: { at: string };
  /** Removes one organization's expired report files; jobId = organization + hour. */
  [JobName.ReportsExpire]: { organizationId: string; at: string };
  /** The monthly report mail for `period` (the month just ended): one ReportsMonthlyMail per organization. */
  [JobName.ReportsMonthlyScan]: { period: string };
  /** One organization's monthly report mails; jobId = jobIdFor(name, `${organizationId}-${period}`). */
  [JobName.ReportsMonthlyMail]: { organizationId: string; period: string };
  /** Anomaly detection over one organization's history after writes; jobId = organization + 10-second window. */
  [JobName.AiAnomaliesScan]: { organizationId: string; window: string };
  /** Categorize newly created transactions (AI); jobId = jobIdFor(name, first id + count). */
  [JobName.AiCategorize]: { organizationId: string; transactionIds: string[] };
  /** Write the organization's export archive (portability); jobId = jobIdFor(name, exportId). */
  [JobName.PortabilityExport]: { organizationId: string; exportId: string };
  /** Apply an import whose dry run passed; jobId = jobIdFor(name, importId). */
  [JobName.PortabilityImport]: { organizationId: string; importId: string };
  /** Hourly: organizations with an export/import archive past its 7 days → one PortabilityExpire each. */
  [JobName.PortabilityCleanupScan]: { at: string };
  [JobName.PortabilityExpire]: { organizationId: string; at: string };
}

/**
 * The one rule for idempotent jobs: a job that must happen once per (name, key) gets this jobId; BullMQ then
 * ignores a second add while the first is kept. Jobs without a natural key get a random id from BullMQ.
 */
export function jobIdFor(name: JobName, key: string): string {
  // BullMQ refuses custom ids containing ':' (except its own 3-part legacy form): `@` joins name and key instead.
  return `${name}@${key.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}
