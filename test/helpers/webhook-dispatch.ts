import type { Queue } from 'bullmq';
import { JobQueue } from '../../src/infrastructure/queue/queue.module';
import { QueueName } from '../../src/infrastructure/queue/queue.constants';
import { DispatcherService } from '../../src/modules/webhooks/deliveries/dispatcher.service';
import type { TestApp } from './test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function idle(queue: Queue, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
    if (!c.waiting && !c.active && !c.delayed && !c.prioritized && !c.paused) return;
    if (Date.now() > until) throw new Error(`webhooks queue not idle: ${JSON.stringify(c)}`);
    await sleep(15);
  }
}

/**
 * Runs dispatcher passes (at the app's Clock) and waits for the attempt jobs they queue until a pass finds nothing
 * due: what the worker's one-second poll does, without waiting for it. Answers the attempts queued.
 */
export async function settle(t: TestApp, timeoutMs = 30_000): Promise<number> {
  const dispatcher = t.app.get(DispatcherService);
  const queue = t.app.get(JobQueue).queue(QueueName.Webhooks);
  let total = 0;
  let quiet = 0;
  const until = Date.now() + timeoutMs;
  while (quiet < 2) {
    await idle(queue, Math.max(1_000, until - Date.now()));
    const queued = await dispatcher.pass();
    total += queued;
    quiet = queued ? 0 : quiet + 1;
    if (Date.now() > until) throw new Error('webhook deliveries did not settle');
  }
  await idle(queue, 5_000);
  return total;
}
