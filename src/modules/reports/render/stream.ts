import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes a chunk and waits for `drain` when the stream's buffer is full (back-pressure, bounded memory). */
export async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Ends the stream and waits until everything is flushed (`finish`). */
export async function end(out: Writable): Promise<void> {
  const finished = once(out, 'finish');
  out.end();
  await finished;
}
