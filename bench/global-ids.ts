/**
 * bench/global-ids — ids per second handed out by GlobalIdService with 8 concurrent clients (each its own
 * connection, as separate app processes would have), one id per call vs blocks of 1000, measured in the same run
 * on the same server. Prints the ratio (target ≥ 50×) and the duplicate count (must be 0).
 *
 *   npm run bench:global-ids            (starts the local services if MONGODB_URI is not set)
 */
import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { AppConfig } from '../src/config/app-config';
import { GlobalIdService } from '../src/infrastructure/mongo/global-id.service';

const CLIENTS = 8;
const SINGLE_PER_CLIENT = Number(process.env.BENCH_SINGLE_PER_CLIENT ?? 100);
const BLOCKS_PER_CLIENT = Number(process.env.BENCH_BLOCKS_PER_CLIENT ?? 20);
const BLOCK_SIZE = 1000;

async function mongoBase(): Promise<{ base: string; options: string; stop?: () => Promise<void> }> {
  const uri = process.env.MONGODB_URI;
  if (uri) {
    const u = new URL(uri);
    return { base: `${u.protocol}//${u.host}`, options: u.searchParams.toString() };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const services = require('../scripts/lib/services') as {
    up(profile: string): Promise<{ env: Record<string, string> }>;
    down(profile: string): Promise<void>;
  };
  const { env } = await services.up('test');
  return {
    base: env.TEST_MONGODB_BASE,
    options: env.TEST_MONGODB_OPTIONS,
    stop: () => services.down('test'),
  };
}

async function run(
  clients: GlobalIdService[],
  allocate: (service: GlobalIdService) => Promise<string[]>,
  callsPerClient: number,
): Promise<{ ids: string[]; seconds: number }> {
  const started = process.hrtime.bigint();
  const perClient = await Promise.all(
    clients.map(async (service) => {
      const ids: string[] = [];
      for (let i = 0; i < callsPerClient; i++) ids.push(...(await allocate(service)));
      return ids;
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ids: perClient.flat(), seconds };
}

async function main(): Promise<void> {
  const { base, options, stop } = await mongoBase();
  const uri = `${base}/ww_bench_${randomBytes(4).toString('hex')}?${options}`;
  const connections: Connection[] = await Promise.all(
    Array.from({ length: CLIENTS }, () => mongoose.createConnection(uri).asPromise()),
  );
  try {
    const config = { globalIdPrefix: 'A' } as AppConfig;
    const clients = connections.map((c) => new GlobalIdService(c, config));
    for (const client of clients) await client.onModuleInit();

    const single = await run(clients, async (s) => [await s.getNextGlobalId()], SINGLE_PER_CLIENT);
    const blocks = await run(clients, (s) => s.reserveGlobalIds(BLOCK_SIZE), BLOCKS_PER_CLIENT);

    const all = [...single.ids, ...blocks.ids];
    const duplicates = all.length - new Set(all).size;
    const singleRate = single.ids.length / single.seconds;
    const blockRate = blocks.ids.length / blocks.seconds;
    const ratio = blockRate / singleRate;
    console.log(`global-ids: ${CLIENTS} concurrent clients on ${base}`);
    console.log(
      `  one at a time: ${single.ids.length} ids in ${single.seconds.toFixed(2)} s = ${singleRate.toFixed(0)} ids/s`,
    );
    console.log(
      `  blocks of ${BLOCK_SIZE}: ${blocks.ids.length} ids in ${blocks.seconds.toFixed(2)} s = ${blockRate.toFixed(0)} ids/s`,
    );
    console.log(
      `  ratio block/single: ${ratio.toFixed(1)}x (target >= 50x) ${ratio >= 50 ? 'OK' : 'BELOW TARGET'}`,
    );
    console.log(`  duplicates: ${duplicates} (must be 0) ${duplicates === 0 ? 'OK' : 'FAIL'}`);
    await connections[0].dropDatabase();
    process.exitCode = duplicates === 0 && ratio >= 50 ? 0 : 1;
  } finally {
    await Promise.all(connections.map((c) => c.close()));
    await stop?.();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
