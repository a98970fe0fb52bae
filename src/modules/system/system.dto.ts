import { createZodDto } from '../../common/http/zod';
import { z } from 'zod';

const status = z.enum(['ok', 'degraded', 'down']);

const component = z.object({
  status,
  details: z.record(z.string(), z.unknown()).describe('What was measured; the shape is per component'),
  reasons: z.array(z.string()),
});

export const systemReportSchema = z
  .object({
    status: status.describe('The worst status of the components'),
    reasons: z.array(z.string()).describe('Every component reason, in component order'),
    checkedAt: z.string().describe('ISO 8601 UTC'),
    version: z.string(),
    commit: z.string().nullable().describe('GIT_COMMIT of the deploy; null when not set'),
    role: z.enum(['all', 'api', 'worker']),
    uptimeSeconds: z.number().int(),
    startedAt: z.string(),
    components: z
      .record(z.string(), component)
      .describe(
        'database, redis, queues, jobs, mail, disk, and every registered contributor (webhooks, storage)',
      ),
  })
  .meta({
    example: {
      status: 'degraded',
      reasons: ['mail: 2 failed send attempt(s) in the last 24 h'],
      checkedAt: '2026-12-02T14:00:00.000Z',
      version: '0.1.0',
      commit: '6589a2f',
      role: 'all',
      uptimeSeconds: 86400,
      startedAt: '2026-12-01T14:00:00.000Z',
      components: {
        database: { status: 'ok', details: { latencyMs: 1.8 }, reasons: [] },
        redis: { status: 'ok', details: { latencyMs: 0.3 }, reasons: [] },
        queues: {
          status: 'ok',
          details: { mail: { waiting: 0, active: 0, failed: 2, delayed: 1, oldestWaitingSeconds: null } },
          reasons: [],
        },
        jobs: {
          status: 'ok',
          details: {
            'reminders.daily': {
              at: '2026-12-02T05:00:01.120Z',
              outcome: 'completed',
              durationMs: 412,
              scheduled: true,
            },
          },
          reasons: [],
        },
        mail: {
          status: 'degraded',
          details: {
            smtpConfigured: true,
            smtpReachable: true,
            lastSuccessfulSendAt: '2026-12-02T13:58:12.000Z',
            failuresLast24h: 2,
          },
          reasons: ['mail: 2 failed send attempt(s) in the last 24 h'],
        },
        disk: {
          status: 'ok',
          details: { path: '/srv/westwallet/uploads', freeBytes: 52e9, totalBytes: 100e9, freeShare: 0.52 },
          reasons: [],
        },
      },
    },
  });

export class SystemReportDto extends createZodDto(systemReportSchema) {}
