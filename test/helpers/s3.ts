import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { storageConfigOf, type S3StorageConfig } from '../../src/config/app-config';
import { storageEnvSchema } from '../../src/config/config.schema';
import { S3Storage } from '../../src/infrastructure/storage/s3.storage';

/**
 * The S3-compatible server of the test run: SeaweedFS, started by `npm test` (scripts/test.js, see
 * tools/seaweedfs/service.js), or any S3 named by TEST_S3_ENDPOINT + TEST_S3_ACCESS_KEY_ID + TEST_S3_SECRET_ACCESS_KEY.
 */
export function s3Server(): {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
} {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  const accessKeyId = process.env.TEST_S3_ACCESS_KEY_ID;
  const secretAccessKey = process.env.TEST_S3_SECRET_ACCESS_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) {
    throw new Error(
      'Storage specs need an S3 server: run them with `npm test` (which starts SeaweedFS, building it once), or set ' +
        'TEST_S3_ENDPOINT, TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY',
    );
  }
  return { endpoint, accessKeyId, secretAccessKey, region: process.env.TEST_S3_REGION ?? 'us-east-1' };
}

export const uniqueBucket = (): string => `wwt-${randomBytes(6).toString('hex')}`;

/** Environment for an app (or storage:migrate) on the test S3 server, in `bucket`, created when missing. */
export function s3Env(bucket: string, overrides: Record<string, string> = {}): Record<string, string> {
  const s3 = s3Server();
  return {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    S3_CREATE_BUCKET: 'true',
    S3_CONNECT_TIMEOUT_MS: '1000',
    S3_REQUEST_TIMEOUT_MS: '5000',
    // The OpenAPI document is the api-docs spec's concern; building it adds nothing here.
    DOCS_ENABLED: 'false',
    ...overrides,
  };
}

/** The typed S3 configuration of s3Env(). */
export function s3Config(bucket: string, overrides: Record<string, string> = {}): S3StorageConfig {
  const config = storageConfigOf(storageEnvSchema.parse(s3Env(bucket, overrides))).s3;
  if (!config) throw new Error('no S3 configuration');
  return config;
}

/** Empties and removes a test bucket. */
export async function dropBucket(bucket: string): Promise<void> {
  const storage = new S3Storage(s3Config(bucket));
  try {
    const keys: string[] = [];
    for await (const object of storage.list('')) keys.push(object.key);
    await Promise.all(keys.map((key) => storage.delete(key)));
    await storage.client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch {
    // never created (a failed beforeAll), or already gone
  } finally {
    storage.destroy();
  }
}

/** A TCP server that accepts connections and never answers: an object storage that hangs. */
export async function blackHole(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
