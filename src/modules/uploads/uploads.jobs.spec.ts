import type { Job } from 'bullmq';
import { ImageProcessingError } from './media/image-processor';
import { failureDecision } from './uploads.jobs';
import { etagMatches, sha256 } from './uploads.service';

/** A job running its `attempt`-th attempt of `attempts`. */
const attempt = (n: number, attempts: number) =>
  ({ attemptsMade: n - 1, opts: { attempts } }) as Pick<Job, 'attemptsMade' | 'opts'>;

describe('upload job failures', () => {
  it('fails for good at once when the bytes are the problem', () => {
    const error = new ImageProcessingError('IMAGE_DECODE_FAILED', 'The image could not be decoded');
    expect(failureDecision(error, attempt(1, 5))).toEqual({
      final: true,
      failure: { code: 'IMAGE_DECODE_FAILED', message: 'The image could not be decoded' },
    });
  });

  it('retries anything else until the last attempt, then fails with a reason', () => {
    const error = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    expect(failureDecision(error, attempt(1, 5))).toEqual({ final: false });
    expect(failureDecision(error, attempt(4, 5))).toEqual({ final: false });
    expect(failureDecision(error, attempt(5, 5))).toEqual({
      final: true,
      failure: { code: 'PROCESSING_FAILED', message: expect.stringContaining('5 times') },
    });
  });
});

describe('content helpers', () => {
  it('compares If-None-Match lists, weak tags and *', () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', '"abc"')).toBe(true);
    expect(etagMatches('"abcd"', '"abc"')).toBe(false);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
  });

  it('hashes in chunks to the same SHA-256', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const { createHash } = await import('node:crypto');
    await expect(sha256(data)).resolves.toBe(createHash('sha256').update(data).digest('hex'));
    await expect(sha256(Buffer.alloc(0))).resolves.toBe(createHash('sha256').digest('hex'));
  });
});
