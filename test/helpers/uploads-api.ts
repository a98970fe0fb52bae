import type { Response as SuperagentResponse } from 'superagent';
import type { Response } from 'supertest';
import type { TestUser } from './factories';
import type { TestApp } from './test-app';

/** Collects a response body as raw bytes (supertest would otherwise try to parse images as text). */
export function binaryParser(
  res: SuperagentResponse,
  callback: (error: Error | null, body: Buffer) => void,
): void {
  // In Node, superagent hands the parser the IncomingMessage itself: a readable stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
  stream.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}

export interface UploadBody {
  id: string;
  name: string;
  mimeType: string;
  kind: 'image' | 'document';
  size: number;
  status: 'processing' | 'ready' | 'failed';
  width: number | null;
  height: number | null;
  variants: Record<
    string,
    { mimeType: string; size: number; width: number | null; height: number | null; href: string }
  >;
  failure: { code: string; message: string } | null;
  note: string | null;
  recordId: string | null;
  recordType: string | null;
  uploadedBy: string;
  createdAt: string;
}

/** POST /uploads; `expect` is the status to assert (201 by default). */
export async function postUpload(
  t: TestApp,
  user: TestUser,
  file: Buffer,
  name: string,
  options: { recordId?: string; expect?: number } = {},
): Promise<Response> {
  let req = t.http.post('/api/v1/uploads').set(user.auth).attach('file', file, name);
  if (options.recordId) req = req.field('recordId', options.recordId);
  return req.expect(options.expect ?? 201);
}

/** Uploads and waits until the worker has finished with it (ready or failed). */
export async function uploadAndWait(
  t: TestApp,
  user: TestUser,
  file: Buffer,
  name: string,
  options: { recordId?: string } = {},
): Promise<UploadBody> {
  const created = await postUpload(t, user, file, name, options);
  return waitForUpload(t, user, (created.body as UploadBody).id);
}

/** Polls GET /uploads/:id until the status is final. */
export async function waitForUpload(
  t: TestApp,
  user: TestUser,
  id: string,
  timeoutMs = 30_000,
): Promise<UploadBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.http.get(`/api/v1/uploads/${id}`).set(user.auth).expect(200);
    const body = res.body as UploadBody;
    if (body.status !== 'processing') return body;
    if (Date.now() > deadline) throw new Error(`Upload ${id} still processing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET /uploads/:id/content as bytes; `expect` is the status to assert (200 by default). */
export function getContent(
  t: TestApp,
  user: TestUser,
  id: string,
  variant?: string,
  options: { expect?: number; headers?: Record<string, string> } = {},
): Promise<Response> {
  const query = variant ? `?variant=${variant}` : '';
  return t.http
    .get(`/api/v1/uploads/${id}/content${query}`)
    .set(user.auth)
    .set(options.headers ?? {})
    .buffer(true)
    .parse(binaryParser)
    .expect(options.expect ?? 200);
}

/** Polls `check` until it returns true (background work: queue jobs, the retention purge). */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An error body without the per-request id, for "indistinguishable from a missing record" comparisons. */
export function withoutRequestId(res: Response): Record<string, unknown> {
  const { requestId, ...rest } = res.body as Record<string, unknown>;
  if (typeof requestId !== 'string') throw new Error('error body without requestId');
  return rest;
}
