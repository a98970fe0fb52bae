import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The one source of "now" for time-dependent rules (billing periods, trash retention, token expiry in
 * rules that tests must move). Tests shift it with `travelTo`/`advance`; production never does.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Test helper: pretend it is `instant` from now on (time keeps running). */
  travelTo(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }

  /** Test helper: move time forward (or back, with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
