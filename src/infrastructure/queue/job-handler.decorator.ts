import { SetMetadata } from '@nestjs/common';
import type { JobName } from './queue.constants';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

/** Marks the one method that handles a job name. Boot fails if a job has none or two. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);
