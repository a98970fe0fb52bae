import type { IncomingMessage } from 'node:http';

/** The global route prefix of the REST API (health checks stay outside it). Links the API hands out use apiPath(). */
export const API_PREFIX = 'api/v1';

/** An absolute path under the API prefix: `apiPath('uploads', id)` → `/api/v1/uploads/A000123`. */
export function apiPath(...segments: string[]): string {
  return `/${[API_PREFIX, ...segments].join('/')}`;
}

/** A request whose JSON body bytes are kept as parsed (bootstrap's body parser; incoming webhook signatures). */
export type RawBodyRequest = IncomingMessage & { rawBody?: Buffer };

/** Methods that change something: audited, throttled as writes, refused in read-only mode. */
export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
