/** Whether this process's queue workers take new jobs. */
export type WorkersState = 'running' | 'paused';

/** What the watchdog must do after one ping: change the workers' state, or nothing. */
export type WatchdogAction = 'pause' | 'resume' | null;

/**
 * The watchdog's decision, kept pure: a ping that did not answer within the readiness timeout pauses the workers, the
 * first ping that answers again resumes them. Only a change of state yields an action, so the condition is logged
 * once per outage however many pings fail.
 */
export class WatchdogStateMachine {
  private current: WorkersState = 'running';
  private pausedSince: number | null = null;

  get state(): WorkersState {
    return this.current;
  }

  /** How long the workers have been paused at `now` (0 while running). */
  pausedForMs(now: number): number {
    return this.pausedSince === null ? 0 : now - this.pausedSince;
  }

  /** `answered`: the database answered this ping within the readiness timeout. */
  observe(answered: boolean, now: number): WatchdogAction {
    if (!answered && this.current === 'running') {
      this.current = 'paused';
      this.pausedSince = now;
      return 'pause';
    }
    if (answered && this.current === 'paused') {
      this.current = 'running';
      this.pausedSince = null;
      return 'resume';
    }
    return null;
  }
}

export const pausedMessage = (timeoutMs: number): string =>
  `database did not answer a ping within ${timeoutMs} ms; workers paused`;

export const resumedMessage = (pausedForMs: number): string =>
  `database answers pings again; workers resumed after ${(pausedForMs / 1000).toFixed(1)} s paused`;
