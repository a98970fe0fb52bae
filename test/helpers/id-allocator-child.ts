/**
 * One OS process allocating global ids, for test/global-ids.e2e-spec.ts:
 *
 *   node -r ts-node/register/transpile-only test/helpers/id-allocator-child.ts <mongoUri> <mode> <count> [prefix]
 *
 * mode `single`: `count` calls of getNextGlobalId(); mode `block`: reserveGlobalIds(n) with random n in 1–50 until
 * `count` ids are in hand (the last block is cut to fit). Connects, initialises the service, prints `ready` and
 * waits for a `go` line on stdin, so that the parent can start every child at the same moment. Then prints one line
 * `{"ids": [...], "ms": <allocation time>}` and exits 0; on any error prints it to stderr and exits 1.
 */
import 'reflect-metadata';
import mongoose from 'mongoose';
import { createInterface } from 'node:readline';
import type { AppConfig } from '../../src/config/app-config';
import { GlobalIdService } from '../../src/infrastructure/mongo/global-id.service';

type Mode = 'single' | 'block';

/** Resolves once the text is handed to the OS, so that exiting right after loses nothing. */
const print = (text: string) => new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));

function waitForGo(): Promise<void> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'go') {
        resolve();
        lines.close();
      }
    });
    lines.on('close', () => reject(new Error('stdin closed before "go"')));
  });
}

async function allocate(ids: GlobalIdService, mode: Mode, count: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < count) {
    if (mode === 'single') {
      out.push(await ids.getNextGlobalId());
    } else {
      const size = Math.min(1 + Math.floor(Math.random() * 50), count - out.length);
      out.push(...(await ids.reserveGlobalIds(size)));
    }
  }
  return out;
}

async function main(): Promise<void> {
  const [uri, mode, countText, prefix = 'A'] = process.argv.slice(2);
  const count = Number(countText);
  if (!uri || (mode !== 'single' && mode !== 'block') || !Number.isInteger(count) || count < 1) {
    throw new Error('usage: id-allocator-child.ts <mongoUri> single|block <count> [prefix]');
  }
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
  try {
    const ids = new GlobalIdService(connection, { globalIdPrefix: prefix } as AppConfig);
    await ids.onModuleInit();
    const go = waitForGo();
    await print('ready\n');
    await go;
    const started = Date.now();
    const allocated = await allocate(ids, mode, count);
    await print(`${JSON.stringify({ ids: allocated, ms: Date.now() - started })}\n`);
  } finally {
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
