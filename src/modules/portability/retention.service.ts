import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../infrastructure/clock/clock';
import { FILE_STORAGE, type FileStorage } from '../../infrastructure/storage/file-storage';
import { PortabilityJobsRepository } from './portability.repository';

/** Export and import archives are kept 7 days (`expiresAt`), then removed (FerretDB has no TTL index). */
@Injectable()
export class RetentionService {
  constructor(
    private readonly repository: PortabilityJobsRepository,
    private readonly clock: Clock,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  organizationsWithExpiredFiles(): Promise<string[]> {
    return this.repository.organizationsWithExpiredFiles(this.clock.now());
  }

  /** In the organization's context: removes each due archive, then marks the record expired. Idempotent. */
  async expireDue(): Promise<number> {
    const due = await this.repository.dueForExpiry(this.clock.now());
    for (const doc of due) {
      if (doc.fileKey) await this.storage.delete(doc.fileKey);
      await this.repository.expire(doc);
    }
    return due.length;
  }
}
