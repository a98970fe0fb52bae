import { Limiter } from './limiter';

describe('Limiter', () => {
  it('never runs more than max tasks at once, even with tasks arriving as others finish', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const task = async (ms: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return ms;
    };
    const first = [5, 1, 3, 2].map((ms) => limiter.run(() => task(ms)));
    expect(limiter.running).toBe(2);
    expect(limiter.queued).toBe(2);
    await first[1];
    const late = limiter.run(() => task(1)); // arrives right when a slot is handed over
    await expect(Promise.all([...first, late])).resolves.toEqual([5, 1, 3, 2, 1]);
    expect(peak).toBe(2);
    expect(limiter.running).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
