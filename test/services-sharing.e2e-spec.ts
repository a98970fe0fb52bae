import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Two `npm start` on one machine (issue 9 item 7): each run takes the dev profile's services with
// scripts/lib/services.js up() and gives them back with down({ transientOnly: true }) on exit, exactly like
// scripts/start.js. The second run reuses what the first started; whichever leaves first must leave them running
// for the other, and the last one out stops them. A temporary state folder keeps this away from a developer's own
// `.local/`; the FerretDB binary is the one `npm test` built.
const ROOT = join(__dirname, '..');
const SERVICES = join(ROOT, 'scripts', 'lib', 'services.js');
const RUN = `
const services = require(${JSON.stringify(SERVICES)});
const quiet = () => undefined;
services.up('dev', { log: quiet }).then((r) => console.log('READY ' + r.env.MONGODB_URI), (e) => {
  console.error(e.message);
  process.exit(1);
});
process.on('SIGTERM', () => services.down('dev', { transientOnly: true, log: (l) => console.log(l) }).then(() => process.exit(0)));
setInterval(() => undefined, 1000);
`;

interface Run {
  child: ChildProcess;
  uri: string;
  output: () => string;
}

describe('services shared by two runs (scripts/lib/services.js)', () => {
  let local: string;
  const runs: ChildProcess[] = [];

  beforeAll(() => {
    local = mkdtempSync(join(tmpdir(), 'ww-services-'));
  });

  afterAll(async () => {
    for (const child of runs) if (child.exitCode === null) child.kill('SIGKILL');
    // Whatever is still up under the temporary folder (a failed assertion) is stopped by a plain down().
    const env = { ...process.env, WESTWALLET_LOCAL_DIR: local };
    const down = spawn(
      process.execPath,
      ['-e', `require(${JSON.stringify(SERVICES)}).down('dev', { log: () => undefined })`],
      { env },
    );
    await once(down, 'exit');
    rmSync(local, { recursive: true, force: true });
  });

  async function start(): Promise<Run> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WESTWALLET_LOCAL_DIR: local,
      FERRETDB_BIN: join(ROOT, '.local', 'bin', 'ferretdb'),
      // SQLite in the temporary folder: never a FerretDB on a developer's own PostgreSQL database
      FERRETDB_BACKEND: 'sqlite',
    };
    delete env.MONGODB_URI;
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ['-e', RUN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    runs.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 45_000;
    while (!/READY (\S+)/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`run did not get its services:\n${out}`);
      await sleep(100);
    }
    return { child, uri: /READY (\S+)/.exec(out)![1], output: () => out };
  }

  async function stop(run: Run): Promise<void> {
    run.child.kill('SIGTERM');
    if (run.child.exitCode === null) await once(run.child, 'exit');
  }

  function answers(uri: string): Promise<boolean> {
    const port = Number(/:(\d+)\//.exec(uri)![1]);
    return new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }

  it("the second run reuses the first one's database; the first to leave leaves it running; the last stops it", async () => {
    const first = await start();
    const second = await start();
    expect(second.uri).toBe(first.uri);

    await stop(second);
    expect(second.output()).toContain('still used by pid');
    expect(await answers(first.uri)).toBe(true);

    // the other order: a third run joins, the one that started the database leaves first
    const third = await start();
    expect(third.uri).toBe(first.uri);
    await stop(first);
    expect(await answers(third.uri)).toBe(true);

    await stop(third);
    expect(third.output()).toMatch(/stopped FerretDB/);
    expect(await answers(third.uri)).toBe(false);
  }, 120_000);

  it('a run killed with SIGKILL leaves a stale lease that does not keep the services up for ever', async () => {
    const first = await start();
    const crashed = await start();
    crashed.child.kill('SIGKILL');
    await once(crashed.child, 'exit');
    await stop(first);
    expect(first.output()).toMatch(/stopped FerretDB/);
    expect(await answers(first.uri)).toBe(false);
  }, 120_000);
});
