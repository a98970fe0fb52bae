import { pausedMessage, resumedMessage, WatchdogStateMachine } from './database-watchdog.state';

describe('WatchdogStateMachine', () => {
  it('starts running and stays running while pings answer', () => {
    const machine = new WatchdogStateMachine();
    expect(machine.state).toBe('running');
    expect([1, 2, 3].map((t) => machine.observe(true, t))).toEqual([null, null, null]);
    expect(machine.state).toBe('running');
    expect(machine.pausedForMs(4)).toBe(0);
  });

  it('pauses on the first unanswered ping and acts only once however many fail', () => {
    const machine = new WatchdogStateMachine();
    const actions = [false, false, false, false].map((answered, t) => machine.observe(answered, 1000 * t));
    expect(actions).toEqual(['pause', null, null, null]);
    expect(machine.state).toBe('paused');
    expect(machine.pausedForMs(5000)).toBe(5000);
  });

  it('resumes once on the first answered ping and can pause again later', () => {
    const machine = new WatchdogStateMachine();
    const sequence = [true, false, false, true, true, false, true];
    const actions = sequence.map((answered, t) => machine.observe(answered, t));
    expect(actions).toEqual([null, 'pause', null, 'resume', null, 'pause', 'resume']);
    expect(machine.state).toBe('running');
    expect(machine.pausedForMs(100)).toBe(0);
  });

  it('names the condition and the timeout in its log lines', () => {
    expect(pausedMessage(2000)).toBe('database did not answer a ping within 2000 ms; workers paused');
    expect(resumedMessage(12_345)).toBe('database answers pings again; workers resumed after 12.3 s paused');
  });
});
