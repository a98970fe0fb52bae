import { sliceOf } from './throttle';

describe('mass mail throttle', () => {
  it('keeps the rate per minute with slices of at least a second', () => {
    expect(sliceOf(60)).toEqual({ ms: 1_000, size: 1 });
    expect(sliceOf(120)).toEqual({ ms: 1_000, size: 2 });
    expect(sliceOf(600)).toEqual({ ms: 1_000, size: 10 });
    expect(sliceOf(6)).toEqual({ ms: 10_000, size: 1 });
    expect(sliceOf(7)).toEqual({ ms: 8_572, size: 1 });
    expect(sliceOf(1)).toEqual({ ms: 60_000, size: 1 });
  });

  it('never exceeds the rate over a minute', () => {
    for (const rate of [1, 5, 7, 13, 60, 61, 119, 1000]) {
      const { ms, size } = sliceOf(rate);
      expect(Math.floor(60_000 / ms) * size).toBeLessThanOrEqual(rate);
    }
  });
});
