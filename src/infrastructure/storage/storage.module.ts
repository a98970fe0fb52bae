import {
  Global,
  Inject,
  Logger,
  Module,
  Optional,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { HealthContributors } from '../health/health-contributors';
import { FILE_STORAGE, type FileStorage } from './file-storage';
import { createFileStorage, isBucketStorage } from './storage.factory';
import { StorageHealth } from './storage-health';

/**
 * The configured FileStorage (`@Inject(FILE_STORAGE)`) and its health check, one instance for the whole app.
 * Global (imported once in AppModule): any module that keeps files (uploads, exports, reports) injects it;
 * importing StorageModule explicitly as well does no harm.
 */
@Global()
@Module({
  providers: [
    {
      provide: FILE_STORAGE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<FileStorage> => createFileStorage(config.storage),
    },
    StorageHealth,
  ],
  exports: [FILE_STORAGE, StorageHealth],
})
export class StorageModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StorageModule.name);

  constructor(
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: StorageHealth,
    @Optional() private readonly contributors?: HealthContributors,
  ) {}

  /**
   * Registers the `storage` health check (when the HealthContributors registry is part of the app).
   * S3_CREATE_BUCKET: the bucket is created when missing. A storage that cannot be reached now does not stop the
   * start (requests that need it answer 503 until it is back; the health check says so).
   */
  async onModuleInit(): Promise<void> {
    // `storage` under components in /admin/system: the bucket (or the uploads folder) answers, and how fast.
    this.contributors?.register({ name: 'storage', check: () => this.health.check() });
    if (!isBucketStorage(this.storage) || !this.config.storage.s3?.createBucket) return;
    try {
      if ((await this.storage.ensureBucket()) === 'created')
        this.logger.log(`Created the bucket ${this.storage.bucket}`);
    } catch (error) {
      this.logger.warn({ err: error }, `Could not make sure the bucket ${this.storage.bucket} exists`);
    }
  }

  onApplicationShutdown(): void {
    if (isBucketStorage(this.storage)) this.storage.destroy();
  }
}
