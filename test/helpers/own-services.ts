import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A Redis or FerretDB of a spec's own, on a free port, that the spec may kill, restart on the same port (and data),
 * freeze (SIGSTOP) and thaw — for fault tests that must not touch the shared test services.
 */

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

abstract class OwnProcess {
  private child: ChildProcess | null = null;

  constructor(
    readonly label: string,
    readonly port: number,
  ) {}

  protected abstract command(): [bin: string, args: string[]];

  /** Starts the process and waits until its port accepts connections. */
  async start(): Promise<void> {
    const [bin, args] = this.command();
    const child = spawn(bin, args, {
      stdio: 'ignore',
      env: { ...process.env, DO_NOT_TRACK: '1', FERRETDB_TELEMETRY: 'disable' },
    });
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await canConnect(this.port)) return;
      await sleep(50);
    }
    throw new Error(`${this.label} did not start on 127.0.0.1:${this.port}`);
  }

  /** Kills it (SIGKILL: a crash, no goodbye to clients) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }

  /** A stuck process: alive, its port open, but it answers nothing until `thaw()`. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }
}

export class OwnRedis extends OwnProcess {
  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis('redis-server', await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected command(): [string, string[]] {
    return [
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    ];
  }
}

export class OwnFerretDb extends OwnProcess {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'ww-faults-ferretdb-'));

  static async start(): Promise<OwnFerretDb> {
    const ferret = new OwnFerretDb('FerretDB', await freePort());
    await ferret.start();
    return ferret;
  }

  uri(databaseName: string): string {
    return `mongodb://127.0.0.1:${this.port}/${databaseName}?directConnection=true&retryWrites=false`;
  }

  protected command(): [string, string[]] {
    const bin = process.env.FERRETDB_BIN ?? resolve(__dirname, '../../.local/bin/ferretdb');
    const args = [
      '-listen',
      `127.0.0.1:${this.port}`,
      '-handler',
      'sqlite',
      '-sqlite-url',
      `file:${this.dataDir}/`,
    ];
    return [bin, [...args, '-log-level', 'error']];
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
