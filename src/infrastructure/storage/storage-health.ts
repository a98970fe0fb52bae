import { Inject, Injectable } from '@nestjs/common';
import { FILE_STORAGE, type FileStorage } from './file-storage';

/** How long the storage may take to answer a health probe before it counts as down. */
export const STORAGE_PROBE_TIMEOUT_MS = 2_000;
/** Slower than this, and reachable: degraded. */
const SLOW_PROBE_MS = 1_000;

/** Same shape as a HealthReport of src/infrastructure/health/health-contributors.ts. */
export interface StorageHealthReport {
  status: 'ok' | 'degraded' | 'down';
  details: { driver: 'local' | 's3'; location: string; latencyMs: number };
  reasons: string[];
}

/** Object-storage (or upload folder) reachability: a HEAD of the bucket, or opening the folder. */
@Injectable()
export class StorageHealth {
  constructor(@Inject(FILE_STORAGE) private readonly storage: FileStorage) {}

  async check(timeoutMs = STORAGE_PROBE_TIMEOUT_MS): Promise<StorageHealthReport> {
    const probe = await this.storage.probe(timeoutMs);
    const details = {
      driver: this.storage.driver,
      location: this.storage.location,
      latencyMs: probe.latencyMs,
    };
    if (!probe.ok)
      return { status: 'down', details, reasons: [probe.error ?? 'File storage is not reachable'] };
    if (probe.latencyMs > SLOW_PROBE_MS)
      return {
        status: 'degraded',
        details,
        reasons: [`File storage answered slowly (${probe.latencyMs} ms)`],
      };
    return { status: 'ok', details, reasons: [] };
  }
}
