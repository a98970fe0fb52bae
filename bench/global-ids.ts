/**
 * bench/global-ids — ids per second handed out by GlobalIdService with 8 concurrent clients, each a separate OS
 * process (child_process.fork of this file) with its own connection, as separate app replicas would have: one id
 * per call vs blocks of 1000, on the same server in the same run. The two phases alternate over BENCH_ROUNDS rounds
 * (single first in even rounds, blocks first in odd ones, so neither always runs on a warmer server); each phase's
 * rate is its ids over the wall time from the first client's start to the last client's end (clocks of one machine).
 * Prints the median rate of each phase, their ratio (target ≥ 50×) and the duplicates over every id handed out in
 * every round (must be 0).
 *
 *   npm run bench:global-ids            (starts the local services if MONGODB_URI is not set)
 *   BENCH_ROUNDS=5 (default), BENCH_SINGLE_PER_CLIENT=25 calls, BENCH_BLOCKS_PER_CLIENT=10 blocks per client and round
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import type { AppConfig } from '../src/config/app-config';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';
import { run } from './lib/run';
import { services } from './lib/services';
import { medianMean as median } from './lib/timing';

const CLIENTS = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SINGLE_PER_CLIENT = Number(process.env.BENCH_SINGLE_PER_CLIENT ?? 25);
const BLOCKS_PER_CLIENT = Number(process.env.BENCH_BLOCKS_PER_CLIENT ?? 10);
const BLOCK_SIZE = 1000;
const TARGET = 50;

type Phase = 'single' | 'blocks';
/** Parent → client: run one phase. Client → parent: ready, then per phase its timing and the ids it got. */
type Command = { phase: Phase; calls: number } | { stop: true };
type Report = { ready: true } | { phase: Phase; startedAt: number; endedAt: number; ids: string[] };

/** Milliseconds on the machine's clock, comparable between processes (unlike process.hrtime). */
const now = () => performance.timeOrigin + performance.now();

// ---- a client process ----

async function clientMain(uri: string): Promise<void> {
  const connection = await mongoose.createConnection(uri).asPromise();
  const service = new GlobalIdService(connection, { globalIdPrefix: 'A' } as AppConfig);
  await service.onModuleInit();
  const send = (report: Report) => new Promise<void>((ok) => process.send?.(report, () => ok()));
  process.on('message', (command: Command) => {
    void (async () => {
      if ('stop' in command) {
        await connection.close();
        process.exit(0);
      }
      const ids: string[] = [];
      const startedAt = now();
      for (let i = 0; i < command.calls; i++) {
        if (command.phase === 'single') ids.push(await service.getNextGlobalId());
        else ids.push(...(await service.reserveGlobalIds(BLOCK_SIZE)));
      }
      const endedAt = now();
      await send({ phase: command.phase, startedAt, endedAt, ids });
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  await send({ ready: true });
}

// ---- the parent ----

function startClient(uri: string): Promise<ChildProcess> {
  const child = fork(__filename, ['--client', uri], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`a client exited with ${code}`)));
  });
}

/** Every client runs the phase at once; the rate is all their ids over first start → last end. */
async function runPhase(
  clients: ChildProcess[],
  phase: Phase,
  calls: number,
): Promise<{ ids: string[]; seconds: number }> {
  const reports = await Promise.all(
    clients.map(
      (child) =>
        new Promise<Extract<Report, { phase: Phase }>>((resolve, reject) => {
          child.once('message', (report: Report) =>
            'phase' in report ? resolve(report) : reject(new Error('unexpected message')),
          );
          child.send({ phase, calls } satisfies Command);
        }),
    ),
  );
  const startedAt = Math.min(...reports.map((r) => r.startedAt));
  const endedAt = Math.max(...reports.map((r) => r.endedAt));
  return { ids: reports.flatMap((r) => r.ids), seconds: (endedAt - startedAt) / 1000 };
}

async function main(): Promise<void> {
  const { base, options, stop } = await services({ redis: false });
  const uri = `${base}/ww_bench_${randomBytes(4).toString('hex')}?${options}`;
  const clients: ChildProcess[] = [];
  try {
    // One at a time: the first client creates the counter's collection and index, the others find them.
    clients.push(await startClient(uri));
    clients.push(...(await Promise.all(Array.from({ length: CLIENTS - 1 }, () => startClient(uri)))));
    console.log(`global-ids: ${CLIENTS} client processes on ${base}, ${ROUNDS} rounds (phases alternate)`);

    const rates: Record<Phase, number[]> = { single: [], blocks: [] };
    const seen = new Set<string>();
    let handedOut = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const order: Phase[] = round % 2 === 0 ? ['single', 'blocks'] : ['blocks', 'single'];
      const line: string[] = [];
      for (const phase of order) {
        const result = await runPhase(
          clients,
          phase,
          phase === 'single' ? SINGLE_PER_CLIENT : BLOCKS_PER_CLIENT,
        );
        const rate = result.ids.length / result.seconds;
        rates[phase].push(rate);
        handedOut += result.ids.length;
        for (const id of result.ids) seen.add(id);
        line.push(
          `${phase} ${rate.toFixed(0)} ids/s (${result.ids.length} in ${result.seconds.toFixed(2)} s)`,
        );
      }
      console.log(`  round ${round + 1}: ${line.join(', ')}`);
    }

    const duplicates = handedOut - seen.size;
    const single = median(rates.single);
    const blocks = median(rates.blocks);
    const ratio = blocks / single;
    const perRound = rates.blocks.map((b, i) => b / rates.single[i]);
    console.log(`  one at a time: median ${single.toFixed(0)} ids/s`);
    console.log(`  blocks of ${BLOCK_SIZE}: median ${blocks.toFixed(0)} ids/s`);
    console.log(
      `  ratio block/single (medians): ${ratio.toFixed(0)}x; per round ${perRound.map((r) => r.toFixed(0)).join(', ')} ` +
        `(target >= ${TARGET}x) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`,
    );
    console.log(
      `  duplicates: ${duplicates} of ${handedOut} ids (must be 0) ${duplicates === 0 ? 'OK' : 'FAIL'}`,
    );
    const connection = await mongoose.createConnection(uri).asPromise();
    await connection.dropDatabase();
    await connection.close();
    process.exitCode = duplicates === 0 && ratio >= TARGET ? 0 : 1;
  } finally {
    await Promise.all(
      clients.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.send({ stop: true } satisfies Command);
          }),
      ),
    );
    await stop?.();
  }
}

const clientIndex = process.argv.indexOf('--client');
run(clientIndex >= 0 ? () => clientMain(process.argv[clientIndex + 1]) : main);
