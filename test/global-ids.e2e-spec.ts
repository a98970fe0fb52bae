import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { AppConfig } from '../src/config/app-config';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { testMongoUri } from './helpers/test-app';

const ROOT = join(__dirname, '..');
const CHILD = join(__dirname, 'helpers', 'id-allocator-child.ts');
const ID = /^A\d{6,}$/;

type Mode = 'single' | 'block';

interface Child {
  mode: Mode;
  process: ChildProcessWithoutNullStreams;
  /** Resolves when the child printed `ready` (connected, service initialised). */
  ready: Promise<void>;
  /** Resolves with the ids the child printed once it exited 0; rejects with its stderr otherwise. */
  result: Promise<string[]>;
}

function startChild(uri: string, mode: Mode, count: number): Child {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', CHILD, uri, mode, String(count)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (/^ready$/m.test(stdout)) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<string[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) {
        reject(new Error(`id child (${mode}) exited ${code}: ${stderr || stdout}`));
        return;
      }
      resolve((JSON.parse(line) as { ids: string[] }).ids);
    });
  });
  // A child that dies before `ready` must not leave the spec waiting for it.
  const readyOrDead = Promise.race([ready, result.then(() => undefined)]);
  return { mode, process: child, ready: readyOrDead, result };
}

const numberOf = (id: string): number => Number(id.slice(1));

async function dropDatabase(uri: string): Promise<void> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}

describe('global ids', () => {
  describe('several OS processes allocating at once from one database', () => {
    const PROCESSES = 6;
    const PER_PROCESS = 150;
    const uri = testMongoUri(`wwt_ids_${randomBytes(6).toString('hex')}`);
    let children: Child[] = [];

    afterAll(async () => {
      for (const child of children) if (child.process.exitCode === null) child.process.kill();
      await dropDatabase(uri);
    });

    it('never hands out an id twice, one at a time and in blocks mixed', async () => {
      children = Array.from({ length: PROCESSES }, (_, i) =>
        startChild(uri, i % 2 === 0 ? 'single' : 'block', PER_PROCESS),
      );
      await Promise.all(children.map((c) => c.ready));
      for (const child of children) child.process.stdin.write('go\n');
      const results = await Promise.all(children.map((c) => c.result));

      const all = results.flat();
      expect(all).toHaveLength(PROCESSES * PER_PROCESS);
      expect(all.filter((id) => !ID.test(id))).toEqual([]);
      const seen = new Map<string, number>();
      const duplicates: string[] = [];
      results.forEach((ids, processIndex) => {
        for (const id of ids) {
          if (seen.has(id)) duplicates.push(`${id} (process ${seen.get(id)} and ${processIndex})`);
          seen.set(id, processIndex);
        }
      });
      expect(duplicates).toEqual([]);
      expect(seen.size).toBe(PROCESSES * PER_PROCESS);

      // Each process sees its own ids strictly increasing.
      for (const ids of results) {
        const numbers = ids.map(numberOf);
        expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1])).toBe(true);
      }
      // The processes really did run at the same time: their id ranges interleave (otherwise nothing contended).
      const ranges = results.map((ids) => [numberOf(ids[0]), numberOf(ids[ids.length - 1])] as const);
      const overlapping = ranges.some(([lo, hi], i) =>
        ranges.some(([lo2, hi2], j) => i !== j && lo < hi2 && lo2 < hi),
      );
      expect(overlapping).toBe(true);
    });
  });

  describe('one client', () => {
    const uri = testMongoUri(`wwt_ids_${randomBytes(6).toString('hex')}`);
    let connection: Connection;
    let ids: GlobalIdService;

    beforeAll(async () => {
      connection = await mongoose.createConnection(uri).asPromise();
      ids = new GlobalIdService(connection, { globalIdPrefix: 'A' } as AppConfig);
      await ids.onModuleInit();
    });
    afterAll(async () => {
      await connection.dropDatabase();
      await connection.close();
    });

    it('starts at A000001 on a fresh database and hands out strictly increasing ids', async () => {
      const got: string[] = [];
      for (let i = 0; i < 20; i++) got.push(await ids.getNextGlobalId());
      expect(got[0]).toBe('A000001');
      expect(got.every((id) => ID.test(id))).toBe(true);
      const numbers = got.map(numberOf);
      expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1])).toBe(true);
    });

    it('reserveGlobalIds(n) returns n consecutive ids after the ones already handed out', async () => {
      const before = await ids.getNextGlobalId();
      const block = await ids.reserveGlobalIds(5);
      expect(block).toHaveLength(5);
      const first = numberOf(block[0]);
      expect(first).toBeGreaterThan(numberOf(before));
      expect(block).toEqual([0, 1, 2, 3, 4].map((i) => `A${String(first + i).padStart(6, '0')}`));
      expect(numberOf(await ids.getNextGlobalId())).toBeGreaterThan(first + 4);
    });

    it('concurrent calls inside one process get distinct ids, blocks included', async () => {
      const calls = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 3 === 0 ? ids.reserveGlobalIds(7) : ids.getNextGlobalId().then((id) => [id]),
        ),
      );
      const got = calls.flat();
      expect(got).toHaveLength(10 * 7 + 20);
      expect(new Set(got).size).toBe(got.length);
      // Each block is still consecutive.
      for (const block of calls.filter((c) => c.length === 7)) {
        const first = numberOf(block[0]);
        expect(block.map(numberOf)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => first + i));
      }
    });

    it('refuses block sizes outside 1–100000', async () => {
      await expect(ids.reserveGlobalIds(0)).rejects.toThrow(RangeError);
      await expect(ids.reserveGlobalIds(100_001)).rejects.toThrow(RangeError);
      await expect(ids.reserveGlobalIds(2.5)).rejects.toThrow(RangeError);
    });

    it('a second client on the same database continues the sequence instead of restarting it', async () => {
      const last = await ids.getNextGlobalId();
      const other = new GlobalIdService(connection, { globalIdPrefix: 'A' } as AppConfig);
      await other.onModuleInit();
      const next = await other.getNextGlobalId();
      expect(numberOf(next)).toBeGreaterThan(numberOf(last));
      // …and the first client, whose cached position is now stale, skips past it.
      expect(numberOf(await ids.getNextGlobalId())).toBeGreaterThan(numberOf(next));
    });

    it('grows the width past 999999 without changing the prefix', async () => {
      let last = '';
      while (numberOf(last || 'A0') < 999_990) {
        const remaining = 999_990 - numberOf(last || 'A0');
        const block = await ids.reserveGlobalIds(Math.min(100_000, Math.max(1, remaining)));
        last = block[block.length - 1];
      }
      const tail = await ids.reserveGlobalIds(20);
      expect(tail).toContain('A999999');
      expect(tail[tail.indexOf('A999999') + 1]).toBe('A1000000');
      expect(tail.every((id) => ID.test(id))).toBe(true);
    });

    it('refuses to start when the configured prefix differs from the one the database already uses', async () => {
      const renamed = new GlobalIdService(connection, { globalIdPrefix: 'B' } as AppConfig);
      await expect(renamed.onModuleInit()).rejects.toThrow(/"B".*"A"/);
      // The original prefix still starts fine.
      await expect(
        new GlobalIdService(connection, { globalIdPrefix: 'A' } as AppConfig).onModuleInit(),
      ).resolves.toBeUndefined();
    });
  });
});
