import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { currentAttempt, isFinalAttempt, maxAttempts } from '../../infrastructure/queue/job-attempts';
import { JobHandler } from '../../infrastructure/queue/job-handler.decorator';
import { JobName, type JobPayloads } from '../../infrastructure/queue/queue.constants';
import { ImageProcessingError } from './media/image-processor';
import type { UploadFailure } from './uploads.schema';
import { UploadsService } from './uploads.service';

/**
 * What to do with a failed attempt: a problem of the bytes fails for good at once; anything else (disk, database,
 * Redis) is retried with the queue's exponential backoff, and fails for good after the last attempt.
 */
export function failureDecision(
  error: unknown,
  job: Pick<Job, 'attemptsMade' | 'opts'>,
): { final: false } | { final: true; failure: UploadFailure } {
  if (error instanceof ImageProcessingError)
    return { final: true, failure: { code: error.code, message: error.message } };
  if (!isFinalAttempt(job)) return { final: false };
  return {
    final: true,
    failure: {
      code: 'PROCESSING_FAILED',
      message: `Processing failed ${maxAttempts(job)} times; the last error was logged`,
    },
  };
}

@Injectable()
export class UploadJobs {
  private readonly logger = new Logger(UploadJobs.name);

  constructor(private readonly uploads: UploadsService) {}

  /** Runs in the worker role, inside the upload's organization (JobRegistry.dispatch sets it from the payload). */
  @JobHandler(JobName.ProcessUpload)
  async process(payload: JobPayloads[JobName.ProcessUpload], job: Job): Promise<string> {
    try {
      return await this.uploads.processQueued(payload.uploadId);
    } catch (error) {
      const decision = failureDecision(error, job);
      if (!decision.final) {
        this.logger.warn(
          { err: error, uploadId: payload.uploadId, attempt: currentAttempt(job) },
          'Upload processing failed; retrying',
        );
        throw error;
      }
      this.logger.error(
        { err: error, uploadId: payload.uploadId },
        `Upload processing failed: ${decision.failure.code}`,
      );
      await this.uploads.markFailed(payload.uploadId, decision.failure);
      throw new UnrecoverableError(decision.failure.code);
    }
  }
}
