import { setImmediate as tick } from 'node:timers/promises';
import { Permits } from './permits';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Permits', () => {
  it('never lets more than its capacity run, and serves waiters first come first served', async () => {
    const permits = new Permits(5);
    const order: string[] = [];
    let peak = 0;
    const gates = Array.from({ length: 4 }, deferred);
    const runs = [3, 2, 4, 1].map((n, i) =>
      permits.run(n, async () => {
        order.push(`start${i}`);
        peak = Math.max(peak, permits.held);
        await gates[i].promise;
      }),
    );
    await tick();
    expect(order).toEqual(['start0', 'start1']); // 3 + 2 = 5; the 4 waits, and the 1 behind it waits too
    gates[0].resolve();
    await tick();
    await tick();
    expect(order).toEqual(['start0', 'start1']); // 2 held + 4 > 5
    gates[1].resolve();
    await tick();
    await tick();
    expect(order).toEqual(['start0', 'start1', 'start2', 'start3']); // 4 + 1
    gates[2].resolve();
    gates[3].resolve();
    await Promise.all(runs);
    expect(peak).toBeLessThanOrEqual(5);
    expect(permits.held).toBe(0);
  });

  it('gives permits back when the work throws', async () => {
    const permits = new Permits(2);
    await expect(
      permits.run(2, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(permits.held).toBe(0);
    await expect(permits.run(2, () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('clamps a request larger than the capacity so that it runs alone', async () => {
    const permits = new Permits(3);
    let held = -1;
    await permits.run(10, () => {
      held = permits.held;
      return Promise.resolve();
    });
    expect(held).toBe(3);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Permits(0)).toThrow(RangeError);
    expect(() => new Permits(1.5)).toThrow(RangeError);
  });
});
