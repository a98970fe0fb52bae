/** Every queue. Each job name below belongs to exactly one. */
export enum QueueName {
  Mail = 'mail',
}

/** Every job, as `<queue>.<action>`. Each has a typed payload (JobPayloads) and exactly one handler. */
export enum JobName {
  SendMail = 'mail.send',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SendMail]: QueueName.Mail,
};

export interface JobPayloads {
  [JobName.SendMail]: {
    to: string;
    template: string;
    locale: 'sv' | 'en';
    vars: Record<string, string>;
    organizationId?: string;
  };
}

/**
 * The one rule for idempotent jobs: a job that must happen once per (name, key) gets this jobId; BullMQ then
 * ignores a second add while the first is kept. Jobs without a natural key get a random id from BullMQ.
 */
export function jobIdFor(name: JobName, key: string): string {
  return `${name}:${key}`.replace(/[^A-Za-z0-9:._-]/g, '_');
}
